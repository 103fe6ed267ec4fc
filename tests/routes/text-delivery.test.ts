// What becomes of the texts Leadline sends and relays: where a relay's delivery status lands, what
// a number that cannot receive texts stops, and what a client's keyword from its own phone does.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { CLIENT_KEYWORD_REPLY } from "@/lib/sms/relay-client-reply";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { rowCounts } from "../support/row-counts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest, type Params } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ clientId: "delivery-client", clientName: "Delivery Co" });
});

async function text(params: Params): Promise<{ twiml: string; messageSid: string }> {
  const messageSid = sid("SM");
  const response = await sms(twilioRequest("/api/twilio/sms", { MessageSid: messageSid, To: config.trackingNumber, NumMedia: "0", ...params }));
  expect(response.status).toBe(200);
  return { twiml: await response.text(), messageSid };
}

const clientReply = (body: string, extra: Params = {}) => text({ From: config.smsForwardNumber, Body: body, ...extra });

/** Posts a status callback to the <Message action> URL exactly as the TwiML answer gave it. */
async function relayCallback(twiml: string, callback: { MessageSid: string; MessageStatus: string; ErrorCode?: string }): Promise<Response> {
  const action = /<Message [^>]*action="([^"]+)"/.exec(twiml)?.[1];
  expect(action, "the relay carries a status callback").toBeDefined();
  const url = new URL(action!.replaceAll("&amp;", "&"));
  expect(url.origin).toBe(process.env.PUBLIC_BASE_URL);
  return status(twilioRequest(url.pathname + url.search, { AccountSid: process.env.TWILIO_ACCOUNT_SID!, ...callback }));
}

async function messageStatusCallback(callback: { MessageSid: string; MessageStatus: string; ErrorCode?: string }): Promise<void> {
  const response = await status(twilioRequest("/api/twilio/status", { AccountSid: process.env.TWILIO_ACCOUNT_SID!, ...callback }));
  expect(response.status).toBe(200);
}

async function missedCall(caller: string, trackingNumber = config.trackingNumber): Promise<void> {
  const call = { CallSid: sid("CA"), From: caller, To: trackingNumber };
  await voice(twilioRequest("/api/twilio/voice", call));
  await status(twilioRequest("/api/twilio/status?event=dial", { ...call, DialCallStatus: "no-answer", DialBridged: "false" }));
  await settleDeferredWork();
}

/** Lets 24 hours pass for the once-a-day text-back guard. */
async function aDayLater(caller: string): Promise<void> {
  const db = await getDatabase();
  await db.query("update internal.text_backs set created_at = now() - interval '25 hours' where caller = $1", [caller]);
}

const textsTo = (phone: string) => twilioApi.sent.filter((message) => message.to === phone);

async function relayOf(messageSid: string) {
  const db = await getDatabase();
  const [row] = await db.query("select relay_status, relay_error_code, relay_message_sid from public.messages where message_sid = $1", [messageSid]);
  return row;
}

async function optOutsOf(phone: string) {
  const db = await getDatabase();
  return db.query("select client_id, cannot_receive_texts from public.opt_outs where phone = $1", [phone]);
}

describe("a relayed text reports its delivery", () => {
  it("keeps how a lead's text reached the client on the lead's text, moving only forward", async () => {
    const { twiml, messageSid } = await text({ From: phoneNumber(), Body: "Are you open Sunday?" });
    const relaySid = sid("SM");
    for (const MessageStatus of ["sent", "delivered", "queued"]) {
      expect((await relayCallback(twiml, { MessageSid: relaySid, MessageStatus })).status).toBe(200);
    }
    expect(await relayOf(messageSid)).toEqual({ relay_status: "delivered", relay_error_code: null, relay_message_sid: relaySid });
  });

  it("shows a relay the client's phone refused on the lead's text, and opts out neither the lead nor the client", async () => {
    const lead = phoneNumber();
    const { twiml, messageSid } = await text({ From: lead, Body: "Hello?" });
    await relayCallback(twiml, { MessageSid: sid("SM"), MessageStatus: "failed", ErrorCode: "21610" });

    expect(await relayOf(messageSid)).toMatchObject({ relay_status: "failed", relay_error_code: 21610 });
    expect(await optOutsOf(lead)).toEqual([]);
    expect(await optOutsOf(config.smsForwardNumber)).toEqual([]);
    expect((await clientReply("Yes, we are")).twiml).toContain(`to="${lead}"`);
  });

  it("shows a client's reply the lead's carrier refused (30006) on the reply, and tells the client why the next one is not sent", async () => {
    const lead = phoneNumber();
    await text({ From: lead, Body: "Can you call me back?" });
    const reply = await clientReply("Sure, when suits you?");
    expect(reply.twiml).toContain(`to="${lead}"`);
    await relayCallback(reply.twiml, { MessageSid: sid("SM"), MessageStatus: "undelivered", ErrorCode: "30006" });

    expect(await relayOf(reply.messageSid)).toMatchObject({ relay_status: "undelivered", relay_error_code: 30006 });
    expect(await optOutsOf(lead)).toEqual([{ client_id: config.clientId, cannot_receive_texts: true }]);
    const next = await clientReply("Hello?");
    expect(next.twiml).not.toContain(`to="${lead}"`);
    expect(next.twiml).toContain("cannot receive texts");
    expect(next.twiml).toContain("Call them instead");
  });

  it("refuses a relay callback that does not name a message", async () => {
    const response = await status(
      twilioRequest("/api/twilio/status?event=relay&for=nonsense", { MessageSid: sid("SM"), MessageStatus: "delivered" }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("for: must be a Twilio message SID");
  });
});

describe("a text-back Twilio reports undeliverable with 30006 (landline or unreachable)", () => {
  it("marks the number for that client, so no later missed call there texts it, until a text from it shows it takes texts", async () => {
    const caller = phoneNumber();
    await missedCall(caller);
    const [textBack] = textsTo(caller);
    await messageStatusCallback({ MessageSid: textBack.sid, MessageStatus: "sent" });
    await messageStatusCallback({ MessageSid: textBack.sid, MessageStatus: "undelivered", ErrorCode: "30006" });

    await aDayLater(caller);
    await missedCall(caller);
    expect(textsTo(caller)).toHaveLength(1);
    const db = await getDatabase();
    expect(await db.query("select status, error_code from public.messages where message_sid = $1", [textBack.sid])).toEqual([
      { status: "undelivered", error_code: 30006 },
    ]);
    expect(await optOutsOf(caller)).toEqual([{ client_id: config.clientId, cannot_receive_texts: true }]);

    expect((await clientReply("Sorry we missed you")).twiml).toContain("cannot receive texts");

    const other = await addTrackingNumber({ clientId: "other-delivery-client" });
    await missedCall(caller, other.trackingNumber);
    expect(textsTo(caller).map((message) => message.from)).toEqual([config.trackingNumber, other.trackingNumber]);

    // 30006 also covers a carrier that was unreachable for a while: a number that texts in takes texts.
    await text({ From: caller, Body: "Sorry, my phone was off. Still open?" });
    expect(await optOutsOf(caller)).toEqual([]);
    await aDayLater(caller);
    await missedCall(caller);
    expect(textsTo(caller)).toHaveLength(3);
  });
});

describe("the client texts STOP, START or HELP from its own phone", () => {
  it.each([
    ["STOP", {}],
    ["start", {}],
    ["Help", {}],
    ["stop please", { OptOutType: "STOP" }],
  ] as [string, Params][])("%s: answered with one line, passed to no lead, and nobody is opted out", async (body, extra) => {
    const lead = phoneNumber();
    await text({ From: lead, Body: "Do you do weekends?" });
    const before = await rowCounts();

    const { twiml } = await clientReply(body, extra);

    expect(twiml).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${CLIENT_KEYWORD_REPLY}</Message></Response>`);
    expect(await rowCounts()).toEqual(before);
    expect(await optOutsOf(config.smsForwardNumber)).toEqual([]);
    expect(await optOutsOf(lead)).toEqual([]);
    expect((await clientReply("We do, yes")).twiml).toContain(`to="${lead}"`);
    expect((await text({ From: lead, Body: "Great" })).twiml).toContain(`to="${config.smsForwardNumber}"`);
  });
});
