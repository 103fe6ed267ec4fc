import { formatPhoneForDisplay } from "../phone/format-phone";
import type { LeadStatus } from "./lead-status";

/** What both the inbox's list and a thread say of a lead: who, for which client, from where, how far along. */
export type LeadIdentity = {
  /** "(512) 555-0134", or "Withheld number". */
  caller: string;
  callerWithheld: boolean;
  name: string | null;
  source: string | null;
  status: LeadStatus;
  clientId: string;
  clientName: string;
};

/** The columns behind a LeadIdentity (and the lead's id), from `public.leads l` joined to `public.clients c`. */
export const LEAD_IDENTITY_COLUMNS = "l.id, l.client_id, c.name as client_name, l.caller, l.caller_withheld, l.name, l.source, l.status";

export type LeadIdentityRow = {
  id: string;
  client_id: string;
  client_name: string;
  caller: string;
  caller_withheld: boolean;
  name: string | null;
  source: string | null;
  status: LeadStatus;
};

export function toLeadIdentity(row: LeadIdentityRow): LeadIdentity {
  return {
    caller: formatPhoneForDisplay(row.caller),
    callerWithheld: row.caller_withheld,
    name: row.name,
    source: row.source,
    status: row.status,
    clientId: row.client_id,
    clientName: row.client_name,
  };
}
