import { z } from "zod";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { Viewer } from "../auth/viewer";
import { visibleClientIds } from "./visible-client-ids";

export const changeScopeSchema = z.object({
  client: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)
    .optional(),
  lead: z.uuid().optional(),
});
export type ChangeScope = z.infer<typeof changeScopeSchema>;

// A row's updated_at is stamped before its transaction commits (clock_timestamp() by the update
// triggers, the transaction's start for a new row), so a write stamped before the newest one can
// commit after it, below the newest time. Counting the rows just under the newest catches it; a
// webhook's write never runs anywhere near this long.
const LATE_COMMIT_WINDOW = "10 seconds";
const LATE_COMMIT_COUNT_CAP = 200;

/**
 * Newest change time and the count of rows near it, in one table, for one client: at most the
 * newest LATE_COMMIT_COUNT_CAP entries of the (client_id, updated_at) index are read.
 */
const clientTableStamp = (table: string) => `(
  select coalesce(max(r.at)::text, '-') || '#' || count(*) filter (where r.at >= r.newest - interval '${LATE_COMMIT_WINDOW}')
    from (select latest.at, max(latest.at) over () as newest
            from (select t.updated_at as at from public.${table} t where t.client_id = c.id order by t.updated_at desc limit ${LATE_COMMIT_COUNT_CAP}) latest) r)`;

/** Newest change time and row count of one lead's calls or texts: a lead's history is small. */
const leadTableStamp = (table: string) => `(
  select coalesce(max(t.updated_at)::text, '-') || '#' || count(*) from public.${table} t where t.lead_id = l.id and t.client_id = l.client_id)`;

/**
 * What the viewer's inbox looks like, as one opaque string that changes whenever a lead, call or
 * text the viewer can see is added or changed: the newest updated_at of each, from the
 * (client_id, updated_at) indexes. For agency staff over every client it is read per client, so
 * every step stays on those indexes. With a lead, only that lead's thread counts. Under the
 * viewer's claims, so a scope the viewer cannot see reads as empty.
 */
export async function readChangeMarker(db: Database, viewer: Viewer, scope: ChangeScope = {}): Promise<string> {
  if (scope.lead !== undefined) return z.uuid().safeParse(scope.lead).success ? readLeadMarker(db, viewer, scope.lead) : "none";
  const clientIds = visibleClientIds(viewer, scope.client);
  if (clientIds?.length === 0) return "none";
  const [row] = await withUserClaims(db, viewer.claims, (tx) =>
    tx.query<{ marker: string | null }>(
      `select md5(string_agg(c.id || '=' || ${clientTableStamp("leads")} || '/' || ${clientTableStamp("calls")} || '/' || ${clientTableStamp("messages")}, ',' order by c.id)) as marker
         from public.clients c
        ${clientIds ? "where c.id = any($1::text[])" : ""}`,
      clientIds ? [clientIds] : [],
    ),
  );
  return row?.marker ?? "none";
}

async function readLeadMarker(db: Database, viewer: Viewer, leadId: string): Promise<string> {
  const clientIds = visibleClientIds(viewer, undefined);
  const [row] = await withUserClaims(db, viewer.claims, (tx) =>
    tx.query<{ marker: string }>(
      `select md5(l.updated_at::text || '/' || ${leadTableStamp("calls")} || '/' || ${leadTableStamp("messages")}) as marker
         from public.leads l
        where l.id = $1 ${clientIds ? "and l.client_id = any($2::text[])" : ""}`,
      clientIds ? [leadId, clientIds] : [leadId],
    ),
  );
  return row?.marker ?? "none";
}
