// Reconciliation keeps the usage ledger whole and priced: Twilio prices calls and texts only after
// the fact, on its own records, so each run takes the prices of its window from the logs it reads
// anyway, asks for older ones one record at a time within a bound, adds the entries the webhooks
// never wrote, and writes the days each tracking number was held. Twilio is the stand-in behind msw.
import { beforeEach, describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { saveTrackingNumberSnapshot } from "@/lib/config/tracking-number-snapshot";
import { getDatabase } from "@/lib/db/get-database";
import { MAX_PRICE_LOOKUPS_PER_RUN } from "@/lib/reconcile/fetch-missing-prices";
import { reconcileFromTwilio } from "@/lib/reconcile/reconcile-from-twilio";
import { inboundSmsSchema } from "@/lib/sms/inbound-sms";
import { relayInboundSms } from "@/lib/sms/relay-inbound-sms";
import { accrueNumberDays } from "@/lib/usage/accrue-number-days";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { minutesAgo, secondsAgo } from "../support/twilio-logs";
import { sid } from "../support/twilio-webhook";
import { postWebhook, usageEntries, type UsageEntry } from "./usage-entries";

const { twilioApi } = useRemoteServices();

const TWO_HOURS = 2 * 60 * 60_000;
const DAY_MS = 86_400_000;
const reconcile = () => reconcileFromTwilio({ sinceMs: TWO_HOURS });
const countsOf = async () => {
  const report = await reconcile();
  if (!("counts" in report)) throw new Error(report.skipped);
  return report.counts;
};

const post = postWebhook;
const pricing = ({ twilio_sid, kind, direction, quantity, price, price_unit }: UsageEntry) => ({ twilio_sid, kind, direction, quantity, price, price_unit });
const ledger = async (sids: string[]) => (await usageEntries(sids)).map(pricing);

/** An answered call through its webhooks, and both its legs in Twilio's log, ended `endedMinutesAgo`, not yet priced. */
async function answeredCall(config: TrackingNumberConfig, endedMinutesAgo: number) {
  const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
  const dialSid = sid("CA");
  await post(voice, "/api/twilio/voice", { ...call, CallStatus: "ringing" });
  await post(status, "/api/twilio/status?event=dial", { ...call, DialCallSid: dialSid, DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "125" });
  await post(status, "/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "133" });
  const endTime = minutesAgo(endedMinutesAgo);
  const startTime = new Date(endTime.getTime() - 133_000);
  twilioApi.addCall({ sid: call.CallSid, from: call.From, to: call.To, status: "completed", direction: "inbound", startTime, endTime, duration: 133 });
  twilioApi.addCall({ sid: dialSid, parentCallSid: call.CallSid, from: call.From, to: config.primaryNumber, status: "completed", direction: "outbound-dial", startTime: new Date(startTime.getTime() + 6000), endTime, duration: 125 });
  return { callSid: call.CallSid, dialSid };
}

describe("prices", () => {
  let config: TrackingNumberConfig;
  beforeEach(async () => {
    config = await addTrackingNumber();
  });

  it("fills Twilio's prices for both legs of a call and texts both ways once Twilio has them, as positive amounts, once", async () => {
    const { callSid, dialSid } = await answeredCall(config, 20);
    const lead = phoneNumber();
    const textSid = sid("SM");
    const relaySid = sid("SM");
    await post(sms, "/api/twilio/sms", { MessageSid: textSid, From: lead, To: config.trackingNumber, Body: "Still available tomorrow?", NumMedia: "0", NumSegments: "1" });
    await post(status, `/api/twilio/status?event=relay&for=${textSid}`, { MessageSid: relaySid, MessageStatus: "sent" });
    twilioApi.addMessage({ sid: textSid, from: lead, to: config.trackingNumber, body: "Still available tomorrow?", direction: "inbound", dateSent: minutesAgo(15) });
    // Twilio's own count for the relay beats ours.
    twilioApi.addMessage({ sid: relaySid, from: config.trackingNumber, to: config.smsForwardNumber, body: "Lead: Still available tomorrow?", direction: "outbound-reply", dateSent: minutesAgo(15), numSegments: 3 });
    const sids = [callSid, dialSid, textSid, relaySid];

    expect(await countsOf()).toMatchObject({ usageAdded: 0, pricesFilled: 0 });
    expect((await ledger(sids)).map((entry) => entry.price)).toEqual([null, null, null, null]);

    twilioApi.setPrice(callSid, "-0.01700");
    twilioApi.setPrice(dialSid, "-0.02800");
    twilioApi.setPrice(textSid, "-0.00790");
    twilioApi.setPrice(relaySid, "-0.02370");
    expect(await countsOf()).toMatchObject({ usageAdded: 0, pricesFilled: 4 });
    expect(await ledger(sids)).toEqual([
      { twilio_sid: callSid, kind: "call_seconds", direction: "inbound", quantity: 133, price: "0.01700", price_unit: "USD" },
      { twilio_sid: dialSid, kind: "call_seconds", direction: "outbound", quantity: 125, price: "0.02800", price_unit: "USD" },
      { twilio_sid: textSid, kind: "sms_segments", direction: "inbound", quantity: 1, price: "0.00790", price_unit: "USD" },
      { twilio_sid: relaySid, kind: "sms_segments", direction: "outbound", quantity: 3, price: "0.02370", price_unit: "USD" },
    ]);

    const priced = await ledger(sids);
    expect(await countsOf()).toMatchObject({ usageAdded: 0, pricesFilled: 0 });
    expect(await ledger(sids)).toEqual(priced);
    expect(twilioApi.fetchRequests).toEqual([]);
  });

  it("adds what the webhooks never wrote, from the logs: a relay whose callbacks were lost, the answer to a client's own text, a call's legs", async () => {
    const lostRelay = { sid: sid("SM"), from: config.trackingNumber, to: config.smsForwardNumber, body: "Lead +1 737-555-0100: hi", direction: "outbound-reply" as const, dateSent: minutesAgo(30), numSegments: 1 };
    const oneLine = { sid: sid("SM"), from: config.trackingNumber, to: config.smsForwardNumber, body: "Leadline: nobody has called", direction: "outbound-reply" as const, dateSent: minutesAgo(29), numSegments: 2, price: "-0.0158" };
    const photo = { sid: sid("SM"), from: phoneNumber(), to: config.trackingNumber, body: "", direction: "inbound" as const, dateSent: minutesAgo(28), media: ["image/jpeg"] };
    const notOurs = { sid: sid("SM"), from: phoneNumber("512"), to: phoneNumber(), body: "someone else's", direction: "outbound-api" as const, dateSent: minutesAgo(27) };
    for (const message of [lostRelay, oneLine, photo, notOurs]) twilioApi.addMessage(message);
    // Its webhooks never came: reconciliation logs the call and its usage.
    const parentSid = sid("CA");
    const legSid = sid("CA");
    const from = phoneNumber();
    twilioApi.addCall({ sid: parentSid, from, to: config.trackingNumber, status: "completed", direction: "inbound", startTime: minutesAgo(40), endTime: minutesAgo(38), duration: 120, price: "-0.0170" });
    twilioApi.addCall({ sid: legSid, parentCallSid: parentSid, from, to: config.primaryNumber, status: "completed", direction: "outbound-dial", startTime: secondsAgo(40 * 60 - 5), endTime: minutesAgo(38), duration: 110, price: "-0.0280" });

    const counts = await countsOf();

    expect(counts).toMatchObject({ callsBackfilled: 1, textsBackfilled: 1, usageAdded: 2, pricesFilled: 3 });
    expect(await ledger([lostRelay.sid, oneLine.sid, photo.sid, notOurs.sid, parentSid, legSid])).toEqual([
      { twilio_sid: lostRelay.sid, kind: "sms_segments", direction: "outbound", quantity: 1, price: null, price_unit: null },
      { twilio_sid: oneLine.sid, kind: "sms_segments", direction: "outbound", quantity: 2, price: "0.0158", price_unit: "USD" },
      { twilio_sid: photo.sid, kind: "mms_messages", direction: "inbound", quantity: 1, price: null, price_unit: null },
      { twilio_sid: parentSid, kind: "call_seconds", direction: "inbound", quantity: 120, price: "0.0170", price_unit: "USD" },
      { twilio_sid: legSid, kind: "call_seconds", direction: "outbound", quantity: 110, price: "0.0280", price_unit: "USD" },
    ]);
    expect(await countsOf()).toMatchObject({ usageAdded: 0, pricesFilled: 0 });
  });

  it("asks for older entries one record at a time, at most 100 a run, those asked longest ago first, and gives up on none it can still price", async () => {
    const db = await getDatabase();
    const sentAt = new Date(Date.now() - 3 * 60 * 60_000);
    const sids: string[] = [];
    for (let i = 0; i < MAX_PRICE_LOOKUPS_PER_RUN + 3; i += 1) {
      const messageSid = sid("SM");
      const from = phoneNumber();
      await relayInboundSms(inboundSmsSchema.parse({ MessageSid: messageSid, From: from, To: config.trackingNumber, Body: "hi", NumSegments: "1" }), sentAt);
      // All but the last in Twilio's log: that one Twilio no longer has, so it is asked once, then after the others.
      if (i < MAX_PRICE_LOOKUPS_PER_RUN + 2) twilioApi.addMessage({ sid: messageSid, from, to: config.trackingNumber, body: "hi", direction: "inbound", dateSent: sentAt, price: "-0.0079" });
      sids.push(messageSid);
    }
    const gone = sids.pop()!;

    const first = await countsOf();
    expect(twilioApi.fetchRequests).toHaveLength(MAX_PRICE_LOOKUPS_PER_RUN);
    expect(first.pricesFilled).toBe(twilioApi.fetchRequests.filter((request) => request.sid !== gone).length);

    twilioApi.fetchRequests.length = 0;
    const second = await countsOf();
    expect(first.pricesFilled + second.pricesFilled).toBe(sids.length);
    expect(new Set(twilioApi.fetchRequests.map((request) => request.sid)).has(gone)).toBe(true);
    expect((await ledger(sids)).every((entry) => entry.price === "0.0079")).toBe(true);
    const [stillUnpriced] = await db.query<{ price_checked_at: Date | null }>("select price_checked_at from public.usage_events where twilio_sid = $1", [gone]);
    expect(stillUnpriced.price_checked_at).not.toBeNull();
  });

  it("stops asking while Twilio fails, and the run still finishes", async () => {
    const sentAt = new Date(Date.now() - 3 * 60 * 60_000);
    for (let i = 0; i < 20; i += 1) {
      const text = inboundSmsSchema.parse({ MessageSid: sid("SM"), From: phoneNumber(), To: config.trackingNumber, Body: "hi", NumSegments: "1" });
      await relayInboundSms(text, sentAt);
    }
    twilioApi.fetchesDown();

    const report = await reconcile();

    expect(report).toMatchObject({ counts: { pricesFilled: 0 } });
    expect(twilioApi.fetchRequests.length).toBeGreaterThan(0);
    expect(twilioApi.fetchRequests.length).toBeLessThanOrEqual(4);
  });
});

describe("number-days", () => {
  const numberDays = async (trackingNumber: string) => {
    const db = await getDatabase();
    return db.query<{ client_id: string; held_on: string }>(
      "select client_id, held_on::text as held_on from public.usage_events where kind = 'number_days' and tracking_number = $1 order by held_on",
      [trackingNumber],
    );
  };
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);
  /** As if the number had been added this many days ago and no run had come since. */
  const heldSince = async (trackingNumber: string, daysAgo: number) => {
    const db = await getDatabase();
    await db.query("update internal.number_holdings set held_from = now() - make_interval(days => $2) where tracking_number = $1 and held_until is null", [trackingNumber, daysAgo]);
  };

  it("writes one entry per UTC day a number is held, today included, and a late run writes every day it missed, once", async () => {
    const config = await addTrackingNumber();
    await heldSince(config.trackingNumber, 3);

    await reconcile();
    await reconcile();

    expect(await numberDays(config.trackingNumber)).toEqual([day(-3), day(-2), day(-1), day(0)].map((held_on) => ({ client_id: config.clientId, held_on })));
    const db = await getDatabase();
    expect(await accrueNumberDays(db, new Date(Date.now() + DAY_MS))).toBeGreaterThanOrEqual(1);
    expect((await numberDays(config.trackingNumber)).at(-1)).toEqual({ client_id: config.clientId, held_on: day(1) });
  });

  it("stops at the day a number is released, even when no run came between", async () => {
    const config = await addTrackingNumber();
    await heldSince(config.trackingNumber, 2);
    const db = await getDatabase();
    await db.transaction((tx) => saveTrackingNumberSnapshot(tx, { ...config, active: false }));

    await accrueNumberDays(db, new Date(Date.now() + 3 * DAY_MS));

    expect(await numberDays(config.trackingNumber)).toEqual([day(-2), day(-1), day(0)].map((held_on) => ({ client_id: config.clientId, held_on })));
  });

  it("counts a number that moved to another client for the new client from the next day", async () => {
    const config = await addTrackingNumber({ clientId: "first-client", clientName: "First Co" });
    const db = await getDatabase();
    await accrueNumberDays(db, new Date());
    await db.transaction((tx) => saveTrackingNumberSnapshot(tx, { ...config, clientId: "second-client", clientName: "Second Co" }));

    await accrueNumberDays(db, new Date(Date.now() + DAY_MS));

    expect(await numberDays(config.trackingNumber)).toEqual([
      { client_id: "first-client", held_on: day(0) },
      { client_id: "second-client", held_on: day(1) },
    ]);
  });
});
