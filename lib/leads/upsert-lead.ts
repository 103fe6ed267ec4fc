import type { Queryable } from "../db/database";
import { isWithheldCaller } from "../phone/caller-id";

export type LeadContact = {
  clientId: string;
  caller: string;
  trackingNumber: string;
  source?: string;
  /** The CallSid or MessageSid of this contact: a withheld caller's lead is keyed by it. */
  interactionSid: string;
  /** When Twilio's request for this contact arrived, which a late write must not move. */
  at: Date;
};

/** One lead per client and caller, so a repeat caller is the same card; withheld callers never merge. */
export function leadKey(contact: Pick<LeadContact, "clientId" | "caller" | "interactionSid">): string {
  return isWithheldCaller(contact.caller) ? `${contact.clientId}:withheld:${contact.interactionSid}` : `${contact.clientId}:${contact.caller}`;
}

/**
 * The one lead upsert, for one contact or many: `rows` is a VALUES list or SELECT giving lead_key,
 * client_id, caller, caller_withheld, tracking_number, source, first_contact_at and last_contact_at.
 * A lead's first and last contact only ever widen, so writes that land out of order leave them right.
 */
export function upsertLeadsSql(rows: string): string {
  return `insert into public.leads (lead_key, client_id, caller, caller_withheld, tracking_number, source, first_contact_at, last_contact_at)
     ${rows}
     on conflict (lead_key) do update set
        first_contact_at = least(public.leads.first_contact_at, excluded.first_contact_at),
        last_contact_at = greatest(public.leads.last_contact_at, excluded.last_contact_at)
     returning id, lead_key`;
}

export async function upsertLead(tx: Queryable, contact: LeadContact): Promise<string> {
  const [lead] = await tx.query<{ id: string }>(upsertLeadsSql("values ($1, $2, $3, $4, $5, $6, $7, $7)"), [
    leadKey(contact),
    contact.clientId,
    contact.caller,
    isWithheldCaller(contact.caller),
    contact.trackingNumber,
    contact.source ?? null,
    contact.at,
  ]);
  return lead.id;
}
