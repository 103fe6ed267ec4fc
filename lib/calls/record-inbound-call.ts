import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { isWithheldCaller } from "../phone/caller-id";
import { leadKey, upsertLeadsSql } from "../leads/upsert-lead";
import { TOUCH_COLUMNS, touchAtRing } from "../attribution/touch-at-ring";

export type InboundCall = { CallSid: string; From: string; To: string };
/**
 * `startedAt` is when the call began: the voice webhook's arrival. A later callback that logs the
 * call first gives its own arrival, which is later; the earliest time given wins. Unset means now.
 */
export type RoutedCall = { config: TrackingNumberConfig; call: InboundCall; startedAt?: Date };

const TOUCH = touchAtRing({
  clientId: "e.client_id",
  trackingNumber: "e.tracking_number",
  numberType: "e.number_type",
  numberSource: "e.number_source",
  at: "e.started_at",
});
const TOUCH_LIST = TOUCH_COLUMNS.join(", ");
const TOUCH_OF_CONTACT = TOUCH_COLUMNS.map((name) => `${name} = contact.${name}`).join(", ");

/**
 * Logs routed calls and their leads once per CallSid, and queues each lead for the pipeline, in one
 * statement however many calls come together. A repeated webhook finds its call and changes
 * nothing, except that a call another callback logged first takes the earlier start time; two
 * calls from one caller in a batch share one lead. Times are when the calls began, never when this
 * write ran, so a late write leaves the lead's first and last contact right. Each call carries the
 * touch of the visit that held its number when it began (lib/attribution), worked out again when
 * its start moves back, and its lead keeps the touch of its first contact.
 */
export async function recordInboundCalls(db: Queryable, calls: RoutedCall[]): Promise<void> {
  const columns = calls.map(({ config, call, startedAt }) => [
    call.CallSid,
    leadKey({ clientId: config.clientId, caller: call.From, interactionSid: call.CallSid }),
    config.clientId,
    call.From,
    isWithheldCaller(call.From),
    config.trackingNumber,
    config.numberType,
    config.source ?? null,
    config.primaryNumber,
    startedAt?.toISOString() ?? null,
  ]);
  const column = (index: number) => columns.map((row) => row[index]);
  await db.query(
    `with input as (
       select call_sid, lead_key, client_id, caller, caller_withheld, tracking_number, number_type, number_source, forwarded_to,
              coalesce(started_at, now()) as started_at
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
           as t (call_sid, lead_key, client_id, caller, caller_withheld, tracking_number, number_type, number_source, forwarded_to, started_at)
     ), contact as (
       select e.call_sid, e.lead_key, e.client_id, e.caller, e.caller_withheld, e.tracking_number, e.forwarded_to, e.started_at, ${TOUCH.columns}
         from (select distinct on (call_sid) * from input order by call_sid, started_at) e
         ${TOUCH.join}
     ), fresh as (
       select * from contact where not exists (select 1 from public.calls c where c.call_sid = contact.call_sid)
     ), lead as (
       ${upsertLeadsSql(`select distinct on (lead_key) lead_key, client_id, caller, caller_withheld, tracking_number,
              min(started_at) over (partition by lead_key), max(started_at) over (partition by lead_key), ${TOUCH_LIST}
         from fresh
        order by lead_key, started_at`)}
     ), earlier_start as (
       update public.calls c set started_at = contact.started_at, ${TOUCH_OF_CONTACT}
         from contact
        where c.call_sid = contact.call_sid and contact.started_at < c.started_at
     ), earlier_first_contact as (
       update public.leads l set first_contact_at = contact.started_at, ${TOUCH_OF_CONTACT}
         from contact join public.calls c using (call_sid)
        where l.id = c.lead_id and contact.started_at < l.first_contact_at
     ), logged as (
       insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, forwarded_to, started_at, ${TOUCH_LIST})
       select fresh.call_sid, fresh.client_id, lead.id, fresh.tracking_number, fresh.caller, fresh.forwarded_to, fresh.started_at,
              ${TOUCH_COLUMNS.map((name) => `fresh.${name}`).join(", ")}
         from fresh join lead using (lead_key)
       on conflict (call_sid) do nothing
       returning call_sid, lead_id
     )
     insert into internal.outbox (topic, event_key, lead_id)
     select 'lead.sync', call_sid, lead_id from logged
     on conflict (topic, event_key) do nothing`,
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(column),
  );
}

export async function recordInboundCall(db: Queryable, config: TrackingNumberConfig, call: InboundCall, startedAt?: Date): Promise<void> {
  await recordInboundCalls(db, [{ config, call, startedAt }]);
}

/** A call to a number no client owns: kept for the agency to see, never a lead. */
export async function recordUnroutedCall(db: Queryable, call: InboundCall): Promise<void> {
  await db.query(
    `insert into public.calls (call_sid, tracking_number, caller, status, outcome)
     values ($1, $2, $3, 'completed', 'unrouted')
     on conflict (call_sid) do nothing`,
    [call.CallSid, call.To, call.From],
  );
}
