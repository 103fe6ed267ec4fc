import Airtable from "airtable";
import type { ServerEnv } from "../env";

export type AirtableSettings = NonNullable<ServerEnv["airtable"]>;

/** A record as read from a table: its id and the fields Airtable returned (empty cells left out). */
export type AirtableRecordLike = { id: string; fields: Record<string, unknown> };

/**
 * An airtable.js base that fails fast: airtable.js retries 429 forever and waits five minutes per
 * request by default, either of which would hold a webhook past Twilio's 15 s.
 */
export function airtableBase(settings: AirtableSettings, requestTimeoutMs: number): Airtable.Base {
  return new Airtable({
    apiKey: settings.token,
    endpointUrl: settings.apiUrl ?? "https://api.airtable.com",
    requestTimeout: requestTimeoutMs,
    noRetryIfRateLimited: true,
  }).base(settings.baseId);
}

export function airtableErrorType(error: unknown): string | undefined {
  const type = (error as { error?: unknown })?.error;
  return typeof type === "string" ? type : undefined;
}
