// Every call leg and text Twilio bills lands in the usage ledger once, through the path that makes
// it: the caller's call and its forwarded leg, a lead's SMS and MMS, the relay to the client's
// mobile, the client's own text and its relay to the lead, the text-back, and an inbox reply. The
// webhooks are signed as Twilio signs them; Twilio's REST API is the stand-in behind msw.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { sendInboxReply } from "@/lib/inbox/send-inbox-reply";
import { useRemoteServices } from "../support/remote-services";
import { AGENCY_OWNER } from "../support/seeded-viewers";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, type Params } from "../support/twilio-webhook";
import { postWebhook, usageEntries } from "./usage-entries";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
  config = await addTrackingNumber({ clientId: "acme-plumbing", clientName: "Acme Plumbing", textBackMessage: "Sorry we missed you! Text us here." });
});

const ledger = (...sids: string[]) => usageEntries(sids);
const post = postWebhook;

const text = (params: Params) => post(sms, "/api/twilio/sms", { MessageSid: sid("SM"), To: config.trackingNumber, NumMedia: "0", ...params });
const relayStatus = (forSid: string, relaySid: string, messageStatus = "sent") =>
  post(status, `/api/twilio/status?event=relay&for=${forSid}`, { MessageSid: relaySid, MessageStatus: messageStatus });

describe("calls", () => {
  it("an answered call is two entries, the caller's leg and the forwarded leg, in seconds, dated when the call began; repeats change nothing", async () => {
    const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    const dialSid = sid("CA");
    const before = Date.now();
    await post(voice, "/api/twilio/voice", { ...call, CallStatus: "ringing" });
    for (let delivery = 0; delivery < 2; delivery += 1) {
      await post(status, "/api/twilio/status?event=dial", { ...call, DialCallSid: dialSid, DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "61" });
      await post(status, "/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "70" });
    }

    const entries = await ledger(call.CallSid, dialSid);
    expect(entries).toEqual([
      expect.objectContaining({ client_id: "acme-plumbing", kind: "call_seconds", direction: "inbound", quantity: 70, tracking_number: config.trackingNumber, price: null }),
      expect.objectContaining({ client_id: "acme-plumbing", kind: "call_seconds", direction: "outbound", quantity: 61, tracking_number: config.trackingNumber, price: null }),
    ]);
    const db = await getDatabase();
    const [{ started_at }] = await db.query<{ started_at: Date }>("select started_at from public.calls where call_sid = $1", [call.CallSid]);
    expect(entries[1].occurred_at).toEqual(started_at);
    // The status callback arrives as the call ends; the leg began CallDuration seconds before.
    expect(entries[0].occurred_at.getTime()).toBeLessThan(before - 60_000);
  });

  it("a missed call is the caller's leg and the text-back, with the segments Twilio counted; no forwarded leg nobody answered", async () => {
    const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    const dialSid = sid("CA");
    await post(voice, "/api/twilio/voice", { ...call, CallStatus: "ringing" });
    await post(status, "/api/twilio/status?event=dial", { ...call, DialCallSid: dialSid, DialCallStatus: "no-answer", DialBridged: "false" });
    await post(status, "/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "24" });

    const [textBack] = twilioApi.sent.filter((message) => message.to === call.From);
    expect(await ledger(call.CallSid, dialSid, textBack.sid)).toEqual([
      expect.objectContaining({ kind: "call_seconds", direction: "inbound", quantity: 24 }),
      expect.objectContaining({ client_id: "acme-plumbing", kind: "sms_segments", direction: "outbound", quantity: 1, tracking_number: config.trackingNumber }),
    ]);
  });
});

describe("texts", () => {
  it("a lead's SMS counts its segments in, and its relay to the client's mobile counts the relayed text's segments out, once per SID", async () => {
    const messageSid = sid("SM");
    const relaySid = sid("SM");
    // 150 characters: one segment as the lead sent it, two once "Lead +1 737-…: " goes in front.
    const body = "Hi, our kitchen sink is leaking under the cabinet and the shutoff valve will not turn. Could someone come by this afternoon or early tomorrow? Thanks!";
    expect(body).toHaveLength(150);
    for (let delivery = 0; delivery < 2; delivery += 1) await text({ MessageSid: messageSid, From: phoneNumber(), Body: body, NumSegments: "1" });
    for (const messageStatus of ["sent", "delivered"]) await relayStatus(messageSid, relaySid, messageStatus);

    expect(await ledger(messageSid, relaySid)).toEqual([
      expect.objectContaining({ client_id: "acme-plumbing", kind: "sms_segments", direction: "inbound", quantity: 1, tracking_number: config.trackingNumber }),
      expect.objectContaining({ client_id: "acme-plumbing", kind: "sms_segments", direction: "outbound", quantity: 2, tracking_number: config.trackingNumber }),
    ]);
  });

  it("an MMS counts once each way as an MMS, not as segments", async () => {
    const messageSid = sid("SM");
    const relaySid = sid("SM");
    await text({ MessageSid: messageSid, From: phoneNumber(), Body: "This is the leak", NumSegments: "1", NumMedia: "1", MediaUrl0: "https://api.twilio.com/media/leak.jpg", MediaContentType0: "image/jpeg" });
    await relayStatus(messageSid, relaySid);

    expect(await ledger(messageSid, relaySid)).toEqual([
      expect.objectContaining({ kind: "mms_messages", direction: "inbound", quantity: 1 }),
      expect.objectContaining({ kind: "mms_messages", direction: "outbound", quantity: 1 }),
    ]);
  });

  it("the client's reply from its own mobile counts in, and its relay to the lead out", async () => {
    const lead = phoneNumber();
    await text({ From: lead, Body: "Are you open Saturday?" });
    const replySid = sid("SM");
    const relaySid = sid("SM");
    const twiml = await text({ MessageSid: replySid, From: config.smsForwardNumber, Body: "Yes, 8 to noon. Want me to book you in?", NumSegments: "1" });
    expect(twiml).toContain(`to="${lead}"`);
    await relayStatus(replySid, relaySid);

    expect(await ledger(replySid, relaySid)).toEqual([
      expect.objectContaining({ kind: "sms_segments", direction: "inbound", quantity: 1 }),
      expect.objectContaining({ kind: "sms_segments", direction: "outbound", quantity: 1 }),
    ]);
  });

  it("the client's text still counts when there is nobody to relay it to", async () => {
    const quiet = await addTrackingNumber({ clientId: "acme-plumbing", clientName: "Acme Plumbing" });
    const messageSid = sid("SM");
    await post(sms, "/api/twilio/sms", { MessageSid: messageSid, From: quiet.smsForwardNumber, To: quiet.trackingNumber, Body: "hello?", NumMedia: "0" });

    expect(await ledger(messageSid)).toEqual([expect.objectContaining({ kind: "sms_segments", direction: "inbound", quantity: 1, tracking_number: quiet.trackingNumber })]);
  });

  it("an inbox reply counts out with the segments Twilio counted", async () => {
    const lead = phoneNumber();
    await text({ From: lead, Body: "How much for a new water heater?" });
    const db = await getDatabase();
    const [{ id }] = await db.query<{ id: string }>("select id from public.leads where caller = $1", [lead]);
    const reply = "Between $1,200 and $1,800 installed, depending on the size. ".repeat(3).trim();

    const sent = await sendInboxReply(db, AGENCY_OWNER, id, reply);

    expect(sent.ok).toBe(true);
    const messageSid = (sent as { messageSid: string }).messageSid;
    expect(await ledger(messageSid)).toEqual([
      expect.objectContaining({ client_id: "acme-plumbing", kind: "sms_segments", direction: "outbound", quantity: 2, tracking_number: config.trackingNumber }),
    ]);
  });
});
