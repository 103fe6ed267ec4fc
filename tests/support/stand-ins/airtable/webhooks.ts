import { createHmac, randomBytes } from "node:crypto";
import { Failure } from "./model";

// Airtable's webhooks API (https://airtable.com/developers/web/api/create-a-webhook): the MAC secret
// is shown once, on creation; a webhook expires 7 days after its creation or last refresh. Airtable
// stops the pings of a webhook whose notifications keep failing (areNotificationsEnabled false) and
// may disable it (isHookEnabled false); a test sets either.
export type StandInWebhook = {
  id: string;
  notificationUrl: string;
  macSecretBase64: string;
  expirationTime: string;
  specification: unknown;
  isHookEnabled: boolean;
  areNotificationsEnabled: boolean;
};

const WEEK_MS = 7 * 24 * 3600 * 1000;

export function webhooksRoute(webhooks: Map<string, StandInWebhook>, method: string, rest: string[], body: unknown, now: number): [number, unknown] {
  const [id, action] = rest;
  if (id === undefined && method === "GET") {
    return [200, { webhooks: [...webhooks.values()].map(({ macSecretBase64: _, ...hook }) => hook) }];
  }
  if (id === undefined && method === "POST") {
    const { notificationUrl, specification } = (body ?? {}) as { notificationUrl?: string; specification?: unknown };
    if (!notificationUrl || !specification) throw new Failure(422, { error: { type: "INVALID_REQUEST_UNKNOWN", message: "notificationUrl and specification are required" } });
    const hook: StandInWebhook = {
      id: `ach${randomBytes(7).toString("hex")}`,
      notificationUrl,
      macSecretBase64: randomBytes(32).toString("base64"),
      expirationTime: new Date(now + WEEK_MS).toISOString(),
      specification,
      isHookEnabled: true,
      areNotificationsEnabled: true,
    };
    webhooks.set(hook.id, hook);
    return [200, { id: hook.id, macSecretBase64: hook.macSecretBase64, expirationTime: hook.expirationTime }];
  }
  const hook = id === undefined ? undefined : webhooks.get(id);
  if (!hook) throw new Failure(404, { error: "NOT_FOUND" });
  if (action === "refresh" && method === "POST") {
    hook.expirationTime = new Date(now + WEEK_MS).toISOString();
    return [200, { expirationTime: hook.expirationTime }];
  }
  if (action === undefined && method === "DELETE") {
    webhooks.delete(hook.id);
    return [200, {}];
  }
  throw new Failure(404, { error: "NOT_FOUND" });
}

/** The notification Airtable posts to a webhook's URL: a body without change data, and its MAC. */
export function signedPing(hook: StandInWebhook, baseId: string): { body: string; mac: string } {
  const body = JSON.stringify({ base: { id: baseId }, webhook: { id: hook.id }, timestamp: new Date().toISOString() });
  const mac = createHmac("sha256", Buffer.from(hook.macSecretBase64, "base64")).update(body).digest("hex");
  return { body, mac: `hmac-sha256=${mac}` };
}
