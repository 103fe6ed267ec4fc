import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import { isAgencyStaff, type Viewer } from "../auth/viewer";
import { visibleClientIds } from "./visible-client-ids";

export type FilterChoices = {
  /** The sources of the tracking numbers in view ("Google Ads", "Website", ...). */
  sources: string[];
  /** Every client, for agency staff's client filter; null for a client user, who has one. */
  clients: { id: string; name: string }[] | null;
};

/** What the inbox's filters offer, read from the small config tables rather than from the leads. */
export async function listFilterChoices(db: Database, viewer: Viewer, client?: string): Promise<FilterChoices> {
  const clientIds = visibleClientIds(viewer, client);
  return withUserClaims(db, viewer.claims, async (tx) => {
    const sources = await tx.query<{ source: string }>(
      `select distinct source from public.tracking_numbers
        where source is not null ${clientIds ? "and client_id = any($1::text[])" : ""}
        order by source`,
      clientIds ? [clientIds] : [],
    );
    const clients = isAgencyStaff(viewer) ? await tx.query<{ id: string; name: string }>("select id, name from public.clients order by name, id") : null;
    return { sources: sources.map((row) => row.source), clients };
  });
}
