import type { Database } from "../db/database";
import { loggedCallSchema } from "../twilio/logged-call";
import type { TwilioRestClient } from "../twilio/twilio-rest-client";
import type { UsageKind } from "../usage/record-usage";
import { loggedMessageSchema } from "./list-twilio-logs";
import { applyTwilioCharges, type TwilioCharge } from "./reconcile-usage";

// The run's listing prices what is in its window for free; these bound what one run asks beyond it.
export const MAX_PRICE_LOOKUPS_PER_RUN = 100;
const CONCURRENT_LOOKUPS = 4;
// An entry Twilio has not priced by then stays without a price, and the usage page counts it.
export const PRICE_LOOKBACK_DAYS = 35;

type Unpriced = { twilio_sid: string; kind: UsageKind };

/**
 * Asks Twilio for the records of ledger entries still without a price that the run's window no
 * longer covers: at most MAX_PRICE_LOOKUPS_PER_RUN requests, the entries asked about longest ago
 * first, so one Twilio never prices cannot starve the rest. A record Twilio refuses (gone, not on
 * this account) counts as asked; Twilio failing stops the lookups until the next run. Returns how
 * many entries were priced.
 */
export async function fetchMissingPrices(db: Database, client: TwilioRestClient, windowStart: Date): Promise<number> {
  const due = await db.query<Unpriced>(
    `select twilio_sid, kind from public.usage_events
      where price is null and twilio_sid is not null
        and occurred_at < $1 and occurred_at >= now() - make_interval(days => $2)
      order by price_checked_at nulls first, occurred_at
      limit $3`,
    [windowStart.toISOString(), PRICE_LOOKBACK_DAYS, MAX_PRICE_LOOKUPS_PER_RUN],
  );
  let priced = 0;
  let twilioFailing = false;
  const lookUpNext = async (): Promise<void> => {
    for (let entry = due.shift(); entry && !twilioFailing; entry = due.shift()) {
      let charge: TwilioCharge | undefined;
      try {
        charge = await fetchCharge(client, entry);
      } catch (error) {
        const { status } = error as { status?: number };
        if (status === undefined || status >= 500 || status === 429) {
          twilioFailing = true;
          return;
        }
      }
      const filled = charge ? await applyTwilioCharges(db, [charge]) : 0;
      priced += filled;
      await db.query("update public.usage_events set price_checked_at = now() where twilio_sid = $1", [entry.twilio_sid]);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_LOOKUPS }, lookUpNext));
  return priced;
}

async function fetchCharge(client: TwilioRestClient, entry: Unpriced): Promise<TwilioCharge | undefined> {
  if (entry.kind === "call_seconds") {
    const call = loggedCallSchema.safeParse(await client.calls(entry.twilio_sid).fetch());
    return call.success ? { sid: call.data.sid, price: call.data.price, priceUnit: call.data.priceUnit, quantity: call.data.duration } : undefined;
  }
  const message = loggedMessageSchema.safeParse(await client.messages(entry.twilio_sid).fetch());
  return message.success ? { sid: message.data.sid, price: message.data.price, priceUnit: message.data.priceUnit, quantity: message.data.numSegments } : undefined;
}
