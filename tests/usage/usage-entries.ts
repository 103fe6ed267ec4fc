// What the usage tests share: a webhook posted to its route as Twilio posts it, and the ledger's
// entries for some Twilio SIDs, read with the role that bypasses RLS.
import { expect } from "vitest";
import { getDatabase } from "@/lib/db/get-database";
import { settleDeferredWork } from "../support/deferred-work";
import { twilioRequest, type Params } from "../support/twilio-webhook";

/** Posts a webhook signed as Twilio signs it, expects a 200, and runs the work it defers; returns the TwiML. */
export async function postWebhook(route: (request: Request) => Promise<Response>, path: string, params: Params): Promise<string> {
  const response = await route(twilioRequest(path, params));
  expect(response.status).toBe(200);
  const body = await response.text();
  await settleDeferredWork();
  return body;
}

export type UsageEntry = {
  twilio_sid: string;
  client_id: string;
  kind: string;
  direction: string;
  quantity: number;
  tracking_number: string;
  occurred_at: Date;
  price: string | null;
  price_unit: string | null;
};

/** The ledger's entries for these SIDs, in their order (none for a SID without one). */
export async function usageEntries(sids: string[]): Promise<UsageEntry[]> {
  const db = await getDatabase();
  return db.query<UsageEntry>(
    `select twilio_sid, client_id, kind, direction, quantity, tracking_number, occurred_at, price::text as price, price_unit
       from public.usage_events where twilio_sid = any($1::text[]) order by array_position($1::text[], twilio_sid), kind`,
    [sids],
  );
}
