import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";

/** Forgets this browser's subscription; RLS keeps a user to their own. */
export async function removePushSubscription(db: Database, viewer: Viewer, endpoint: string): Promise<void> {
  await withUserClaims(db, viewer.claims, (tx) => tx.query("delete from public.push_subscriptions where endpoint = $1", [endpoint]));
}
