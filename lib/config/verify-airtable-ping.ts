import { z } from "zod";
import type { SyncPart } from "../airtable/scheduled-sync-turn";
import { isValidAirtableMac } from "../airtable/verify-airtable-mac";
import { getDatabase } from "../db/get-database";
import { PublicError } from "../http/public-error";

const pingSchema = z.object({ base: z.object({ id: z.string() }), webhook: z.object({ id: z.string() }), timestamp: z.string() });

const MAX_PING_BYTES = 16 * 1024;

/**
 * An Airtable webhook ping carries no change data, only which webhook fired; it is genuine when its
 * MAC matches the secret kept for that webhook. Says what that webhook watches; throws PublicError
 * (4xx) for anything else.
 */
export async function verifyAirtablePing(request: Request): Promise<{ baseId: string; watches: SyncPart }> {
  const raw = await request.text();
  if (raw.length > MAX_PING_BYTES) throw new PublicError(413, "ping too large");
  let ping: z.infer<typeof pingSchema>;
  try {
    ping = pingSchema.parse(JSON.parse(raw));
  } catch {
    throw new PublicError(400, "not an Airtable webhook ping");
  }
  const [hook] = await (await getDatabase()).query<{ mac_secret_base64: string; watches: SyncPart }>(
    "select mac_secret_base64, watches from internal.airtable_webhooks where webhook_id = $1 and base_id = $2",
    [ping.webhook.id, ping.base.id],
  );
  if (!hook || !isValidAirtableMac(hook.mac_secret_base64, raw, request.headers.get("x-airtable-content-mac"))) {
    throw new PublicError(401, "invalid or missing X-Airtable-Content-MAC");
  }
  return { baseId: ping.base.id, watches: hook.watches };
}
