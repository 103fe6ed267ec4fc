import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { upsertLead } from "../leads/upsert-lead";
import { readTouchAt } from "../attribution/read-touch-at";
import { TOUCH_COLUMNS } from "../attribution/touch-at-ring";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import type { InboundSms } from "./inbound-sms";
import type { OptOutKeyword } from "./opt-out-keyword";
import { inboundTextUsage } from "../usage/inbound-text-usage";
import { recordUsage } from "../usage/record-usage";
import { clearCannotReceiveTexts, clearOptOut, recordOptOut } from "./opt-outs";

/**
 * Logs a lead's text once per MessageSid, stamped with when it arrived and carrying the touch of
 * the visit that held its number then (lib/attribution), keeps its opt-out state, and queues the
 * lead for the pipeline.
 */
export async function recordInboundSms(
  tx: Queryable,
  config: TrackingNumberConfig,
  sms: InboundSms,
  keyword: OptOutKeyword | undefined,
  receivedAt: Date,
): Promise<void> {
  const [existing] = await tx.query("select 1 from public.messages where message_sid = $1", [sms.MessageSid]);
  if (existing) return;

  const touch = await readTouchAt(tx, config, receivedAt);
  const leadId = await upsertLead(tx, {
    clientId: config.clientId,
    caller: sms.From,
    trackingNumber: config.trackingNumber,
    interactionSid: sms.MessageSid,
    at: receivedAt,
    touch,
  });
  await tx.query(
    `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, media, status, created_at,
                                  ${TOUCH_COLUMNS.join(", ")})
     values ($1, $2, $3, 'inbound', 'lead', $4, $5, $6, $7, 'received', $8, ${TOUCH_COLUMNS.map((_, i) => `$${i + 9}`).join(", ")})
     on conflict (message_sid) do nothing`,
    [
      sms.MessageSid,
      config.clientId,
      leadId,
      config.trackingNumber,
      sms.From,
      sms.Body,
      JSON.stringify(sms.media),
      receivedAt,
      ...TOUCH_COLUMNS.map((column) => touch[column]),
    ],
  );
  if (keyword !== "STOP") await clearCannotReceiveTexts(tx, config.clientId, sms.From);
  if (keyword === "STOP") await recordOptOut(tx, config.clientId, sms.From, "texted STOP");
  if (keyword === "START") await clearOptOut(tx, config.clientId, sms.From);
  await recordUsage(tx, inboundTextUsage(config, sms, receivedAt));
  await enqueueLeadSync(tx, leadId, sms.MessageSid);
}

/** A text to a number no client owns: kept for the agency, never a lead. */
export async function recordUnroutedSms(tx: Queryable, sms: InboundSms, receivedAt: Date): Promise<void> {
  await tx.query(
    `insert into public.messages (message_sid, direction, author, tracking_number, counterpart, body, media, status, created_at)
     values ($1, 'inbound', 'lead', $2, $3, $4, $5, 'unrouted', $6)
     on conflict (message_sid) do nothing`,
    [sms.MessageSid, sms.To, sms.From, sms.Body, JSON.stringify(sms.media), receivedAt],
  );
}
