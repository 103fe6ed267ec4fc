import { z } from "zod";

export const pushEndpointSchema = z.url({ protocol: /^https$/, error: "must be an https URL" }).max(2000);

/** A browser's PushSubscription as toJSON() gives it. */
export const pushSubscriptionSchema = z.object({
  endpoint: pushEndpointSchema,
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/).max(200),
    auth: z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/).max(100),
  }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;
