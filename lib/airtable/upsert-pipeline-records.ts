import { airtableBase, airtableErrorType, type AirtableSettings } from "./airtable-base";
import { PIPELINE_FIELDS } from "./pipeline-fields";

export const PIPELINE_REQUEST_TIMEOUT_MS = 8000;
export const MAX_RECORDS_PER_REQUEST = 10;

/** rateLimited: a 429; unavailable: a 5xx or no answer in time; refused: Airtable will refuse it again. */
export type UpsertOutcome = { ok: true } | { ok: false; failure: "rateLimited" | "unavailable" | "refused"; error: string };

/**
 * One upsert of at most 10 pipeline rows into a base, merged on Lead Key: a lead's first contact
 * creates its row, later ones update it. airtable.js's own 429 retries are off; the caller paces.
 */
export async function upsertPipelineRecords(
  settings: AirtableSettings,
  baseId: string,
  records: Record<string, string | number>[],
): Promise<UpsertOutcome> {
  if (records.length > MAX_RECORDS_PER_REQUEST) throw new Error(`at most ${MAX_RECORDS_PER_REQUEST} records per request`);
  const base = airtableBase({ ...settings, baseId }, PIPELINE_REQUEST_TIMEOUT_MS);
  try {
    await base.makeRequest({
      method: "PATCH",
      path: `/${encodeURIComponent(settings.leadsTable)}`,
      body: {
        performUpsert: { fieldsToMergeOn: [PIPELINE_FIELDS.leadKey] },
        records: records.map((fields) => ({ fields })),
        typecast: false,
      },
    });
    return { ok: true };
  } catch (error) {
    const { statusCode, message } = error as { statusCode?: number; message?: string };
    const type = airtableErrorType(error) ?? "ERROR";
    const failure = statusCode === 429 ? "rateLimited" : !statusCode || statusCode >= 500 ? "unavailable" : "refused";
    return { ok: false, failure, error: `${statusCode ?? "no response"} ${type}: ${message ?? String(error)}` };
  }
}
