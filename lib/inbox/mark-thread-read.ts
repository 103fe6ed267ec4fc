import { z } from "zod";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { Viewer } from "../auth/viewer";

/**
 * The viewer has seen the thread up to now: its unread count starts again from here, for this
 * user only. Under the viewer's claims, so only a lead they may see is marked; false otherwise.
 */
export async function markThreadRead(db: Database, viewer: Viewer, leadId: string): Promise<boolean> {
  if (!z.uuid().safeParse(leadId).success) return false;
  return withUserClaims(db, viewer.claims, async (tx) => {
    const marked = await tx.query(
      `insert into public.lead_reads (user_id, lead_id, read_at)
       select $1, l.id, now() from public.leads l where l.id = $2
       on conflict (user_id, lead_id) do update set read_at = greatest(public.lead_reads.read_at, excluded.read_at)
       returning lead_id`,
      [viewer.userId, leadId],
    );
    return marked.length > 0;
  });
}
