import type { Database } from "../db/database";
import type { AirtableSettings } from "../airtable/airtable-base";
import { MAX_RECORDS_PER_REQUEST, upsertPipelineRecords } from "../airtable/upsert-pipeline-records";
import { pauseBase, pauseBaseAfterFailure, RATE_LIMIT_PAUSE_MS, recordBaseAnswered, takePaceSlot } from "./airtable-pace";
import { claimDueJobs, markDelivered, postponeJobs, recordFailedAttempt } from "./outbox-jobs";
import { readPipelineRecords, type PipelineRecord } from "./read-pipeline-records";

export type DeliveryRound = { claimed: number; delivered: number; failed: number; postponed: number; requests: number };

const CLAIM_LIMIT = 50;
// Waiting longer than this for a slot means the base is paused: the jobs are handed back instead.
const MAX_SLOT_WAIT_MS = 2000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One round of the outbox: claims due jobs, reads each lead's pipeline row as it is now, and upserts
 * them in requests of at most 10 rows (one per lead), each request on its base's shared pace.
 * Airtable is only called between database statements, never inside a transaction. A base that is
 * rate limited, down or slow is paused as a whole and its jobs handed back without using an
 * attempt; only a request Airtable refuses (a 4xx) counts against its jobs. No request starts
 * after `deadline`, so a round ends at most a slot wait and a request timeout later.
 */
export async function deliverDueJobs(db: Database, settings: AirtableSettings, deadline = Number.POSITIVE_INFINITY): Promise<DeliveryRound> {
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

  const pausedBases = new Map<string, { ms: number; reason?: string }>();
  for (const [baseId, batch] of batchesByBase(records, settings.baseId)) {
    const jobIds = batch.flatMap((record) => jobsByLead.get(record.leadId) ?? []);
    const handBack = async (ms: number, reason?: string) => {
      await postponeJobs(db, jobIds, ms, reason);
      round.postponed += jobIds.length;
    };
    const paused = pausedBases.get(baseId);
    if (paused) {
      await handBack(paused.ms, paused.reason);
      continue;
    }
    if (Date.now() > deadline) {
      await handBack(0);
      continue;
    }
    const slot = await takePaceSlot(db, baseId, { maxWaitMs: MAX_SLOT_WAIT_MS });
    if (!slot.granted) {
      pausedBases.set(baseId, { ms: slot.waitMs });
      await handBack(slot.waitMs);
      continue;
    }
    if (slot.waitMs > 0) await sleep(slot.waitMs);
    round.requests += 1;
    const outcome = await upsertPipelineRecords(settings, baseId, batch.map((record) => record.fields));
    if (outcome.ok) {
      await markDelivered(db, jobIds);
      await markStatusPushed(db, batch);
      await recordBaseAnswered(db, baseId);
      round.delivered += jobIds.length;
    } else if (outcome.failure === "rateLimited") {
      await pauseBase(db, baseId);
      pausedBases.set(baseId, { ms: RATE_LIMIT_PAUSE_MS, reason: outcome.error });
      await handBack(RATE_LIMIT_PAUSE_MS, outcome.error);
    } else if (outcome.failure === "unavailable") {
      const pauseMs = await pauseBaseAfterFailure(db, baseId);
      pausedBases.set(baseId, { ms: pauseMs, reason: outcome.error });
      await handBack(pauseMs, outcome.error);
    } else {
      await recordBaseAnswered(db, baseId);
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
