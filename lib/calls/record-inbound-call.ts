import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { upsertLead } from "../leads/upsert-lead";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";

export type InboundCall = { CallSid: string; From: string; To: string };

/**
 * Logs a routed call and its lead once per CallSid, and queues the lead for the pipeline.
 * Returns the call's lead id, whether this webhook created it or an earlier one did.
 */
export async function recordInboundCall(tx: Queryable, config: TrackingNumberConfig, call: InboundCall): Promise<string> {
  const [existing] = await tx.query<{ lead_id: string | null }>("select lead_id from public.calls where call_sid = $1", [call.CallSid]);
  if (existing?.lead_id) return existing.lead_id;

  const leadId = await upsertLead(tx, {
    clientId: config.clientId,
    caller: call.From,
    trackingNumber: config.trackingNumber,
    source: config.source,
    interactionSid: call.CallSid,
  });
  await tx.query(
    `insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, forwarded_to)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (call_sid) do update set client_id = excluded.client_id, lead_id = excluded.lead_id
       where public.calls.lead_id is null`,
    [call.CallSid, config.clientId, leadId, call.To, call.From, config.primaryNumber],
  );
  await enqueueLeadSync(tx, leadId, call.CallSid);
  return leadId;
}

/** A call to a number no client owns: kept for the agency to see, never a lead. */
export async function recordUnroutedCall(tx: Queryable, call: InboundCall): Promise<void> {
  await tx.query(
    `insert into public.calls (call_sid, tracking_number, caller, status, outcome)
     values ($1, $2, $3, 'completed', 'unrouted')
     on conflict (call_sid) do nothing`,
    [call.CallSid, call.To, call.From],
  );
}
