import type { Queryable } from "../db/database";
import { isWithheldCaller } from "../phone/caller-id";
import { TOUCH_COLUMNS, type Touch } from "../attribution/touch-at-ring";

export type LeadContact = {
  clientId: string;
  caller: string;
  trackingNumber: string;
  /** The CallSid or MessageSid of this contact: a withheld caller's lead is keyed by it. */
  interactionSid: string;
  /** When Twilio's request for this contact arrived, which a late write must not move. */
  at: Date;
  /** What brought this contact (lib/attribution); the lead keeps its first contact's. */
  touch: Touch;
};

/** One lead per client and caller, so a repeat caller is the same card; withheld callers never merge. */
export function leadKey(contact: Pick<LeadContact, "clientId" | "caller" | "interactionSid">): string {
  return isWithheldCaller(contact.caller) ? `${contact.clientId}:withheld:${contact.interactionSid}` : `${contact.clientId}:${contact.caller}`;
}

// A contact earlier than the lead's first brings the lead its touch; any other keeps the lead's.
const FIRST_TOUCH = TOUCH_COLUMNS.map(
  (column) => `${column} = case when excluded.first_contact_at < public.leads.first_contact_at then excluded.${column} else public.leads.${column} end`,
).join(",\n        ");

/**
 * The one lead upsert, for one contact or many: `rows` is a VALUES list or SELECT giving lead_key,
 * client_id, caller, caller_withheld, tracking_number, first_contact_at, last_contact_at and then
 * the TOUCH_COLUMNS. A lead's first and last contact only ever widen, so writes that land out of
 * order leave them right; its touch is its first contact's, so it changes only when a contact
 * earlier than every one logged so far turns up late.
 */
export function upsertLeadsSql(rows: string): string {
  return `insert into public.leads (lead_key, client_id, caller, caller_withheld, tracking_number, first_contact_at, last_contact_at,
                                    ${TOUCH_COLUMNS.join(", ")})
     ${rows}
     on conflict (lead_key) do update set
        first_contact_at = least(public.leads.first_contact_at, excluded.first_contact_at),
        last_contact_at = greatest(public.leads.last_contact_at, excluded.last_contact_at),
        ${FIRST_TOUCH}
     returning id, lead_key`;
}

export async function upsertLead(tx: Queryable, contact: LeadContact): Promise<string> {
  const touchParams = TOUCH_COLUMNS.map((_, i) => `$${i + 7}`).join(", ");
  const [lead] = await tx.query<{ id: string }>(upsertLeadsSql(`values ($1, $2, $3, $4, $5, $6, $6, ${touchParams})`), [
    leadKey(contact),
    contact.clientId,
    contact.caller,
    isWithheldCaller(contact.caller),
    contact.trackingNumber,
    contact.at,
    ...TOUCH_COLUMNS.map((column) => contact.touch[column]),
  ]);
  return lead.id;
}
