import { z } from "zod";
import type { Database } from "../db/database";
import { airtableBase, type AirtableSettings } from "../airtable/airtable-base";
import { listAllRecords } from "../airtable/list-all-records";
import { PIPELINE_FIELDS as F, PIPELINE_STATUSES } from "../airtable/pipeline-fields";

export type StatusPullReport = { bases: number; rows: number; applied: number; keptNewer: number; ignored: number };

const PULL_REQUEST_TIMEOUT_MS = 8000;

const pulledRowSchema = z.object({
  [F.leadKey]: z.string().min(1),
  [F.status]: z.enum(PIPELINE_STATUSES),
  [F.statusModified]: z.iso.datetime({ offset: true }),
});

/** Every base holding a Lead Pipeline: the agency's own, and each client's own base named in its config. */
export async function pipelineBaseIds(db: Database, settings: AirtableSettings): Promise<string[]> {
  const clientBases = await db.query<{ base_id: string }>(
    "select distinct pipeline_base_id as base_id from public.tracking_numbers where pipeline_base_id is not null",
  );
  return [...new Set([settings.baseId, ...clientBases.map((row) => row.base_id)])];
}

/**
 * Brings statuses agency staff set in the Lead Pipeline into the app: the rows whose Status changed
 * after the last pull of each base (every pipeline base unless named), by Airtable's own "Status
 * Modified" time. The later change wins: an app change newer than Airtable's is kept (and pushed by
 * the outbox), an older one is replaced. A status taken from Airtable counts as already pushed, so
 * it is never sent back.
 */
export async function pullPipelineStatuses(db: Database, settings: AirtableSettings, bases?: string[]): Promise<StatusPullReport> {
  bases ??= await pipelineBaseIds(db, settings);
  const report: StatusPullReport = { bases: bases.length, rows: 0, applied: 0, keptNewer: 0, ignored: 0 };

  for (const baseId of bases) {
    const [cursor] = await db.query<{ after: Date | null }>(
      `select case when status_modified_after = '-infinity' then null else status_modified_after end as after
         from internal.pipeline_pulls where base_id = $1`,
      [baseId],
    );
    const after = (cursor?.after ?? new Date(0)).toISOString();
    const table = airtableBase({ ...settings, baseId }, PULL_REQUEST_TIMEOUT_MS)(settings.leadsTable);
    const records = await listAllRecords(db, baseId, table, {
      filterByFormula: `IS_AFTER({${F.statusModified}}, DATETIME_PARSE('${after}'))`,
      fields: [F.leadKey, F.status, F.statusModified],
    });
    report.rows += records.length;

    let newest = cursor?.after ?? null;
    for (const record of records) {
      const parsed = pulledRowSchema.safeParse(record.fields);
      if (!parsed.success) {
        report.ignored += 1;
        continue;
      }
      const changedAt = new Date(parsed.data[F.statusModified]);
      if (!newest || changedAt > newest) newest = changedAt;
      const applied = await db.query(
        `update public.leads
            set status = $2, status_changed_at = $3, status_pushed_at = $3
          where lead_key = $1 and (status_changed_at is null or status_changed_at < $3)
          returning id`,
        [parsed.data[F.leadKey], parsed.data[F.status], changedAt],
      );
      if (applied.length > 0) report.applied += 1;
      else report.keptNewer += 1;
    }
    await db.query(
      `insert into internal.pipeline_pulls (base_id, status_modified_after) values ($1, coalesce($2, '-infinity'::timestamptz))
       on conflict (base_id) do update set status_modified_after = excluded.status_modified_after`,
      [baseId, newest],
    );
  }
  return report;
}
