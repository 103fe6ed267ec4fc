"use server";

import { requireViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { pushEndpointSchema, pushSubscriptionSchema } from "@/lib/push/push-subscription";
import { removePushSubscription } from "@/lib/push/remove-push-subscription";
import { savePushSubscription } from "@/lib/push/save-push-subscription";

/** Subscribes the signed-in user's browser to new-lead notifications. */
export async function turnOnPush(subscription: unknown): Promise<{ ok: boolean }> {
  const viewer = await requireViewer();
  const parsed = pushSubscriptionSchema.safeParse(subscription);
  if (!parsed.success) return { ok: false };
  await savePushSubscription(await getDatabase(), viewer, parsed.data);
  return { ok: true };
}

/** Stops new-lead notifications to this browser. */
export async function turnOffPush(endpoint: unknown): Promise<{ ok: boolean }> {
  const viewer = await requireViewer();
  const parsed = pushEndpointSchema.safeParse(endpoint);
  if (!parsed.success) return { ok: false };
  await removePushSubscription(await getDatabase(), viewer, parsed.data);
  return { ok: true };
}
