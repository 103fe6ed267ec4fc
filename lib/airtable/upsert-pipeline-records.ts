import { z } from "zod";
import type { AirtableSettings } from "./airtable-base";
import { PIPELINE_FIELDS } from "./pipeline-fields";

export const PIPELINE_REQUEST_TIMEOUT_MS = 8000;
export const MAX_RECORDS_PER_REQUEST = 10;

/**
 * rateLimited: a 429 for too many requests in a second; planLimited: a 429 because the workspace
 * used up its plan's API calls for the month; unavailable: a 5xx, no answer in time, or the base
 * itself out of reach (401, 403, 404: a revoked token, a base or table gone), which no record
 * caused; refused: any other 4xx, which Airtable will give again for the same records.
 */
export type UpsertFailure = "rateLimited" | "planLimited" | "unavailable" | "refused";
export type UpsertOutcome = { ok: true } | { ok: false; failure: UpsertFailure; error: string };

const BASE_OUT_OF_REACH = new Set([401, 403, 404]);

// Airtable's error bodies: {"error":{"type","message"}}, {"error":"NOT_FOUND"}, and for a 429
// {"errors":[{"error","message"}]}.
const errorBody = z.object({
  error: z.union([z.string(), z.object({ type: z.string(), message: z.string().optional() })]).optional(),
  errors: z.array(z.object({ error: z.string(), message: z.string().optional() })).optional(),
});

/**
 * One upsert of at most 10 pipeline rows into a base, merged on Lead Key: a lead's first contact
 * creates its row, later ones update it. Sent with fetch rather than airtable.js, which turns every
 * 429 into TOO_MANY_REQUESTS and drops the body, the only place that tells the per-second limit from
 * the monthly plan limit. Never retried here; the caller paces.
 */
export async function upsertPipelineRecords(
  settings: AirtableSettings,
  baseId: string,
  records: Record<string, string | number>[],
): Promise<UpsertOutcome> {
  if (records.length > MAX_RECORDS_PER_REQUEST) throw new Error(`at most ${MAX_RECORDS_PER_REQUEST} records per request`);
  let response: Response;
  let body: string;
  try {
    response = await fetch(`${settings.apiUrl ?? "https://api.airtable.com"}/v0/${baseId}/${encodeURIComponent(settings.leadsTable)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${settings.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        performUpsert: { fieldsToMergeOn: [PIPELINE_FIELDS.leadKey] },
        records: records.map((fields) => ({ fields })),
        typecast: false,
      }),
      signal: AbortSignal.timeout(PIPELINE_REQUEST_TIMEOUT_MS),
    });
    body = await response.text();
  } catch (error) {
    return { ok: false, failure: "unavailable", error: `no response: ${(error as Error).message}` };
  }
  if (response.ok) return { ok: true };
  const { type, message } = describeError(body);
  const failure =
    response.status === 429
      ? type === "PUBLIC_API_BILLING_LIMIT_EXCEEDED"
        ? "planLimited"
        : "rateLimited"
      : response.status >= 500 || BASE_OUT_OF_REACH.has(response.status)
        ? "unavailable"
        : "refused";
  return { ok: false, failure, error: `${response.status} ${type}: ${message}` };
}

function describeError(body: string): { type: string; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { type: "ERROR", message: body.slice(0, 200) };
  }
  const parsed = errorBody.safeParse(json);
  if (!parsed.success) return { type: "ERROR", message: body.slice(0, 200) };
  const { error, errors } = parsed.data;
  if (typeof error === "string") return { type: error, message: error };
  if (error) return { type: error.type, message: error.message ?? error.type };
  if (errors?.[0]) return { type: errors[0].error, message: errors[0].message ?? errors[0].error };
  return { type: "ERROR", message: body.slice(0, 200) };
}
