import type { Database } from "../db/database";
import type { AirtableSettings } from "../airtable/airtable-base";
import { MAX_RECORDS_PER_REQUEST, upsertPipelineRecords } from "../airtable/upsert-pipeline-records";
import { pauseBase, RATE_LIMIT_PAUSE_MS, takePaceSlot } from "./airtable-pace";
import { claimDueJobs, markDelivered, postponeJobs, recordFailedAttempt } from "./outbox-jobs";
import { readPipelineRecords, type PipelineRecord } from "./read-pipeline-records";

export type DeliveryRound = { claimed: number; delivered: number; failed: number; postponed: number; requests: number };

const CLAIM_LIMIT = 50;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One round of the outbox: claims due jobs, reads each lead's pipeline row as it is now, and upserts
 * them in requests of at most 10 rows (one per lead), each request on its base's shared pace.
 * Airtable is only called between database statements, never inside a transaction.
 */
export async function deliverDueJobs(db: Database, settings: AirtableSettings): Promise<DeliveryRound> {
  const jobs = await claimDueJobs(db, CLAIM_LIMIT);
  const round: DeliveryRound = { claimed: jobs.length, delivered: 0, failed: 0, postponed: 0, requests: 0 };
  if (jobs.length === 0) return round;

  const jobsByLead = new Map<string, number[]>();
  for (const job of jobs) if (job.lead_id) jobsByLead.set(job.lead_id, [...(jobsByLead.get(job.lead_id) ?? []), job.id]);
  const records = await readPipelineRecords(db, [...jobsByLead.keys()]);
  const found = new Set(records.map((record) => record.leadId));
  const nothingToSend = jobs.filter((job) => !job.lead_id || !found.has(job.lead_id)).map((job) => job.id);
  if (nothingToSend.length > 0) await markDelivered(db, nothingToSend);
  round.delivered += nothingToSend.length;

  const pausedBases = new Set<string>();
  for (const [baseId, batch] of batchesByBase(records, settings.baseId)) {
    const jobIds = batch.flatMap((record) => jobsByLead.get(record.leadId) ?? []);
    if (pausedBases.has(baseId)) {
      await postponeJobs(db, jobIds, RATE_LIMIT_PAUSE_MS);
      round.postponed += jobIds.length;
      continue;
    }
    const wait = await takePaceSlot(db, baseId);
    if (wait > 0) await sleep(wait);
    round.requests += 1;
    const outcome = await upsertPipelineRecords(settings, baseId, batch.map((record) => record.fields));
    if (outcome.ok) {
      await markDelivered(db, jobIds);
      await markStatusPushed(db, batch);
      round.delivered += jobIds.length;
    } else if (outcome.rateLimited) {
      pausedBases.add(baseId);
      await pauseBase(db, baseId);
      await postponeJobs(db, jobIds, RATE_LIMIT_PAUSE_MS);
      round.postponed += jobIds.length;
    } else {
      await recordFailedAttempt(db, jobIds, outcome.error);
      round.failed += jobIds.length;
    }
  }
  return round;
}

function batchesByBase(records: PipelineRecord[], defaultBaseId: string): [string, PipelineRecord[]][] {
  const byBase = new Map<string, PipelineRecord[]>();
  for (const record of records) {
    const baseId = record.baseId ?? defaultBaseId;
    byBase.set(baseId, [...(byBase.get(baseId) ?? []), record]);
  }
  const batches: [string, PipelineRecord[]][] = [];
  for (const [baseId, all] of byBase) {
    for (let start = 0; start < all.length; start += MAX_RECORDS_PER_REQUEST) batches.push([baseId, all.slice(start, start + MAX_RECORDS_PER_REQUEST)]);
  }
  return batches;
}

async function markStatusPushed(db: Database, records: PipelineRecord[]): Promise<void> {
  for (const record of records) {
    if (!record.statusChangedAt) continue;
    await db.query(
      `update public.leads set status_pushed_at = $2
        where id = $1 and (status_pushed_at is null or status_pushed_at < $2)`,
      [record.leadId, record.statusChangedAt],
    );
  }
}
