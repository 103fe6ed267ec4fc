import type { Queryable } from "../db/database";

/**
 * Asks for the lead's Airtable pipeline row to be brought up to date. Written in the webhook's own
 * transaction and keyed by the Twilio event, so a repeated webhook enqueues nothing new.
 */
export async function enqueueLeadSync(tx: Queryable, leadId: string, eventKey: string): Promise<void> {
  await tx.query(
    `insert into internal.outbox (topic, event_key, lead_id) values ('lead.sync', $1, $2)
     on conflict (topic, event_key) do nothing`,
    [eventKey, leadId],
  );
}
