import type { AirtableSettings } from "../airtable/airtable-base";

/** What Twilio said, in plain words: a refused account, or its status, code and message. */
export function describeTwilioError(error: unknown): string {
  const { status, code, message } = error as { status?: unknown; code?: unknown; message?: string };
  if (status === 401) return "Twilio refused TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: copy both from the Twilio console";
  if (typeof status !== "number") return `Twilio could not be reached: ${message ?? String(error)}`;
  return `Twilio answered ${status}${typeof code === "number" ? ` (error ${code})` : ""}: ${message ?? "no message"}`;
}

/**
 * What Airtable said, in plain words: a refused token or base, or its status, error type and
 * message. airtable.js's errors are not Error instances, so an Error is the pace's or the
 * database's own, said as it is.
 */
export function describeAirtableError(settings: AirtableSettings, error: unknown): string {
  if (error instanceof Error) return error.message;
  const { statusCode, error: type, message } = error as { statusCode?: unknown; error?: unknown; message?: string };
  if (statusCode === 401) return "Airtable refused the token in AIRTABLE_TOKEN: check it, and that it has the data.records:read and data.records:write scopes";
  if (statusCode === 403 || statusCode === 404) {
    return `The token cannot reach "${settings.configTable}" in base ${settings.baseId}: check AIRTABLE_BASE_ID, AIRTABLE_CONFIG_TABLE, and that the base is added to the token (npm run airtable:check says more)`;
  }
  if (typeof statusCode !== "number") return `Airtable could not be reached: ${message ?? String(error)}`;
  return `Airtable answered ${statusCode}${typeof type === "string" ? ` ${type}` : ""}: ${message ?? "no message"}`;
}
