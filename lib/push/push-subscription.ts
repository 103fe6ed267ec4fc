import { z } from "zod";

// The push services browsers subscribe with: Chrome, Edge on Android, Opera and Samsung Internet
// (FCM), Firefox (Mozilla autopush, updates.push.services.mozilla.com), Safari (Apple) and Edge on
// Windows (WNS, e.g. wns2-par02p.notify.windows.com). The server POSTs every new lead to every
// stored endpoint, so any other host would make it a relay to wherever a client points it. The
// host must end at the first `/`: no port, no user info. The same pattern is the CHECK on
// public.push_subscriptions.endpoint (supabase/migrations/20261201050000_push_subscription_limits.sql).
export const PUSH_SERVICE_ENDPOINT =
  /^https:\/\/(fcm\.googleapis\.com|[a-z0-9-]+(\.[a-z0-9-]+)*\.push\.services\.mozilla\.com|web\.push\.apple\.com|[a-z0-9-]+(\.[a-z0-9-]+)*\.notify\.windows\.com)\/\S*$/;

export const pushEndpointSchema = z
  .url({ protocol: /^https$/, error: "must be an https URL" })
  .max(2000)
  .regex(PUSH_SERVICE_ENDPOINT, "must be a browser push service's endpoint");

/** A browser's PushSubscription as toJSON() gives it. */
export const pushSubscriptionSchema = z.object({
  endpoint: pushEndpointSchema,
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/).max(200),
    auth: z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/).max(100),
  }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;
