import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import type { PushSubscriptionInput } from "./push-subscription";

/**
 * Keeps this browser's subscription for the signed-in user, as the server's own role: users may
 * not write subscriptions themselves (only push services' endpoints, at most 10 a user; see
 * supabase/migrations/20261201050000_push_subscription_limits.sql). A browser keeps its endpoint
 * across sign-ins, and only the browser holding a subscription knows its endpoint (an unguessable
 * URL the push service gave it), so the browser posting it is where those pushes arrive: a row
 * another user saved from this browser becomes this user's, and that user's leads stop coming here.
 */
export async function savePushSubscription(db: Database, viewer: Viewer, subscription: PushSubscriptionInput): Promise<void> {
  const { endpoint, keys } = subscription;
  await db.query(
    `insert into public.push_subscriptions (endpoint, user_id, p256dh, auth) values ($1, $2, $3, $4)
     on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
    [endpoint, viewer.userId, keys.p256dh, keys.auth],
  );
}
