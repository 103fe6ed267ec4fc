import { z } from "zod";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import { isAgencyStaff, type Viewer } from "../auth/viewer";
import { LEAD_STATUSES } from "./lead-status";

// A blank field clears what the client wrote on the lead.
const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

/** What the lead panel may change, as typed into it: each field left out stays as it is. */
export const leadChangesSchema = z.object({
  status: z.enum(LEAD_STATUSES, { error: "Choose one of the statuses." }).optional(),
  name: z.preprocess(blankToNull, z.string().trim().max(200, "A name is at most 200 characters.").nullable()).optional(),
  value: z
    .preprocess(
      (value) => (typeof value === "string" ? blankToNull(value.replace(/[$,\s]/g, "")) : value),
      z.coerce
        .number({ error: "A value is an amount, like 1250 or 1250.50." })
        .min(0, "A value cannot be negative.")
        .lt(10_000_000_000, "That value is too large.")
        .transform((amount) => Math.round(amount * 100) / 100)
        .nullable(),
    )
    .optional(),
  notes: z.preprocess(blankToNull, z.string().trim().max(5000, "Notes are at most 5,000 characters.").nullable()).optional(),
});
export type LeadChanges = z.infer<typeof leadChangesSchema>;

const COLUMNS = { status: "status", name: "name", value: "value", notes: "notes" } as const;

/**
 * Writes the lead panel's changes under the viewer's claims, so RLS refuses another client's lead
 * (false: nothing changed). The database itself dates the change and queues a status change for
 * the Lead Pipeline (migrations 20261201000000_inbox.sql, 20261201040000_status_and_reply_fixes.sql),
 * exactly as any other change of status is.
 */
export async function updateLead(db: Database, viewer: Viewer, leadId: string, changes: LeadChanges): Promise<boolean> {
  if (!z.uuid().safeParse(leadId).success) return false;
  const params: unknown[] = [leadId];
  const assignments: string[] = [];
  for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    if (changes[key] === undefined) continue;
    params.push(changes[key]);
    assignments.push(`${COLUMNS[key]} = $${params.length}`);
  }
  let ownClientOnly = "";
  if (!isAgencyStaff(viewer)) {
    params.push(viewer.clientId);
    ownClientOnly = `and client_id = $${params.length}`;
  }
  // With nothing to change, the answer is still whether the viewer may change this lead.
  const statement =
    assignments.length > 0
      ? `update public.leads set ${assignments.join(", ")} where id = $1 ${ownClientOnly} returning id`
      : `select id from public.leads where id = $1 ${ownClientOnly}`;
  return withUserClaims(db, viewer.claims, async (tx) => (await tx.query(statement, params)).length > 0);
}
