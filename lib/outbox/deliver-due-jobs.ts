import type { Database } from "../db/database";
import type { AirtableSettings } from "../airtable/airtable-base";
import { pauseBase, pauseBaseAfterFailure, pauseBaseForPlanLimit, RATE_LIMIT_PAUSE_MS, recordBaseAnswered, waitForPaceSlot } from "../airtable/airtable-pace";
import { MAX_RECORDS_PER_REQUEST, PIPELINE_REQUEST_TIMEOUT_MS, upsertPipelineRecords, type UpsertFailure } from "../airtable/upsert-pipeline-records";
import { claimDueJobs, LEAD_CLAIM_MS, markDelivered, postponeJobs, recordFailedAttempt, releaseLeads } from "./outbox-jobs";
import { readPipelineRecords, type PipelineRecord } from "./read-pipeline-records";

export type DeliveryRound = { claimed: number; delivered: number; failed: number; postponed: number; requests: number };

const LEAD_LIMIT = 50;
// Waiting longer than this for a slot means the base is paused: the jobs are handed back instead.
const MAX_SLOT_WAIT_MS = 2000;
// A request starts only while the round's lead claims have this long left: a slot wait, the
// request's timeout and the writes after it, so no lead is still in flight when its claim runs out.
const CLAIM_MARGIN_MS = MAX_SLOT_WAIT_MS + PIPELINE_REQUEST_TIMEOUT_MS + 5000;

type Batch = { baseId: string; records: PipelineRecord[] };

/**
 * One round of the outbox: claims due leads (each with all its due jobs), reads each lead's
 * pipeline row as it is now, and upserts them in requests of at most 10 rows, each request on its
 * base's shared pace. Airtable is only called between database statements, never inside a
 * transaction. A base that is rate limited, over its plan, down or slow is paused as a whole and
 * its jobs handed back without using an attempt. A request Airtable refuses (a 4xx) is split in
 * halves until the record it refuses is alone, so only that lead's jobs count an attempt. Each
 * lead is let go as soon as its jobs are settled. No request starts after `deadline`, so a round
 * ends at most a slot wait and a request timeout later.
 */
export async function deliverDueJobs(db: Database, settings: AirtableSettings, deadline = Number.POSITIVE_INFINITY): Promise<DeliveryRound> {
  const requestsUntil = Math.min(deadline, Date.now() + LEAD_CLAIM_MS - CLAIM_MARGIN_MS);
  const claim = await claimDueJobs(db, LEAD_LIMIT);
  const round: DeliveryRound = { claimed: claim.jobs.length, delivered: 0, failed: 0, postponed: 0, requests: 0 };
  const held = new Set(claim.leadIds);
  const letGo = async (records: PipelineRecord[]) => {
    const leadIds = records.map((record) => record.leadId);
    await releaseLeads(db, leadIds, claim.claimant);
    for (const leadId of leadIds) held.delete(leadId);
  };
  try {
    if (claim.jobs.length === 0) return round;
    const jobsByLead = new Map<string, number[]>();
    for (const job of claim.jobs) jobsByLead.set(job.lead_id, [...(jobsByLead.get(job.lead_id) ?? []), job.id]);
    const records = await readPipelineRecords(db, [...jobsByLead.keys()]);
    const found = new Set(records.map((record) => record.leadId));
    const nothingToSend = claim.jobs.filter((job) => !found.has(job.lead_id)).map((job) => job.id);
    if (nothingToSend.length > 0) await markDelivered(db, nothingToSend);
    round.delivered += nothingToSend.length;

    const pausedBases = new Map<string, { ms: number; reason?: string }>();
    const queue = batchesByBase(records, settings.baseId);
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const { baseId, records: sent } = batch;
      const jobIds = sent.flatMap((record) => jobsByLead.get(record.leadId) ?? []);
      const handBack = async (ms: number, reason?: string) => {
        await postponeJobs(db, jobIds, ms, reason);
        await letGo(sent);
        round.postponed += jobIds.length;
      };
      const paused = pausedBases.get(baseId);
      if (paused) {
        await handBack(paused.ms, paused.reason);
        continue;
      }
      if (Date.now() > requestsUntil) {
        await handBack(0);
        continue;
      }
      const slot = await waitForPaceSlot(db, baseId, { maxWaitMs: MAX_SLOT_WAIT_MS });
      if (!slot.granted) {
        pausedBases.set(baseId, { ms: slot.waitMs });
        await handBack(slot.waitMs);
        continue;
      }
      round.requests += 1;
      const outcome = await upsertPipelineRecords(settings, baseId, sent.map((record) => record.fields));
      if (outcome.ok) {
        await markDelivered(db, jobIds);
        await markStatusPushed(db, sent);
        await recordBaseAnswered(db, baseId);
        await letGo(sent);
        round.delivered += jobIds.length;
      } else if (outcome.failure === "refused" && sent.length > 1) {
        await recordBaseAnswered(db, baseId);
        const half = Math.ceil(sent.length / 2);
        queue.unshift({ baseId, records: sent.slice(0, half) }, { baseId, records: sent.slice(half) });
      } else if (outcome.failure === "refused") {
        await recordBaseAnswered(db, baseId);
        await recordFailedAttempt(db, jobIds, outcome.error);
        await letGo(sent);
        round.failed += jobIds.length;
      } else {
        const pauseMs = await pauseTheBase(db, baseId, outcome.failure, outcome.error);
        pausedBases.set(baseId, { ms: pauseMs, reason: outcome.error });
        await handBack(pauseMs, outcome.error);
      }
    }
    return round;
  } finally {
    if (held.size > 0) await releaseLeads(db, [...held], claim.claimant);
  }
}

/** Pauses the base for what Airtable said, and returns the pause in ms. */
async function pauseTheBase(db: Database, baseId: string, failure: Exclude<UpsertFailure, "refused">, error: string): Promise<number> {
  if (failure === "rateLimited") {
    await pauseBase(db, baseId);
    return RATE_LIMIT_PAUSE_MS;
  }
  if (failure === "unavailable") return pauseBaseAfterFailure(db, baseId);
  const pause = await pauseBaseForPlanLimit(db, baseId);
  if (pause.newlyLimited) {
    console.error(
      `Airtable base ${baseId} refuses requests until its workspace's plan allows more API calls (${error}): nothing goes to it before ${pause.until.toISOString()}, then once an hour; the outbox keeps every job`,
    );
  }
  return pause.pauseMs;
}

function batchesByBase(records: PipelineRecord[], defaultBaseId: string): Batch[] {
  const byBase = new Map<string, PipelineRecord[]>();
  for (const record of records) {
    const baseId = record.baseId ?? defaultBaseId;
    byBase.set(baseId, [...(byBase.get(baseId) ?? []), record]);
  }
  const batches: Batch[] = [];
  for (const [baseId, all] of byBase) {
    for (let start = 0; start < all.length; start += MAX_RECORDS_PER_REQUEST) batches.push({ baseId, records: all.slice(start, start + MAX_RECORDS_PER_REQUEST) });
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
