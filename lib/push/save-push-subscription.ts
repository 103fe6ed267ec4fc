import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { PushSubscriptionInput } from "./push-subscription";

/**
 * Keeps this browser's subscription for the signed-in user. A browser keeps its endpoint across
 * sign-ins, so one that another user subscribed becomes this user's: that user's row is invisible
 * to these claims and is deleted as the server role, in the same transaction as the RLS-checked
 * insert, so it goes only if the row can be this user's.
 */
export async function savePushSubscription(db: Database, viewer: Viewer, subscription: PushSubscriptionInput): Promise<void> {
  const { endpoint, keys } = subscription;
  await withUserClaims(db, viewer.claims, async (tx) => {
    await tx.query("set local role none");
    await tx.query("delete from public.push_subscriptions where endpoint = $1 and user_id <> $2", [endpoint, viewer.userId]);
    await tx.query("set local role authenticated");
    await tx.query(
      `insert into public.push_subscriptions (endpoint, user_id, p256dh, auth) values ($1, $2, $3, $4)
       on conflict (endpoint) do update set p256dh = excluded.p256dh, auth = excluded.auth`,
      [endpoint, viewer.userId, keys.p256dh, keys.auth],
    );
  });
}
