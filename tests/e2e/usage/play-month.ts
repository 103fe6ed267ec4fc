// Twilio's side of a month of traffic: the signed webhooks a call or text makes, the records Twilio
// keeps of every leg and message in its logs (both legs of a forwarded call, the relays TwiML asks
// for), and the prices it puts on them some time later.
import type { CallLogEntry, MessageLogEntry } from "../../support/stand-ins/twilio-api";
import { segmentsOf } from "../../support/stand-ins/twilio-api";
import { sid, type Params } from "../../support/twilio-webhook";
import type { AppUnderTest } from "../inbox/app-under-test";
import type { UsageRun } from "./usage-run";

/** A tracking number as Twilio sees it: where calls to it are forwarded, and the client's mobile. */
export type TrackedNumber = { trackingNumber: string; primaryNumber: string; clientMobile: string };

const secondsBefore = (at: Date, seconds: number) => new Date(at.getTime() - seconds * 1000);
const base = (app: AppUnderTest) => ({ AccountSid: app.accountSid, ApiVersion: "2010-04-01" });

function logCall(app: AppUnderTest, run: UsageRun, call: CallLogEntry): void {
  app.twilio.addCall(call);
  run.logged.push(call.sid);
}

function logMessage(app: AppUnderTest, run: UsageRun, message: MessageLogEntry): void {
  app.twilio.addMessage(message);
  run.logged.push(message.sid);
}

/** A forwarded call in Twilio's log alone, as when its webhooks never reached the app: the caller's leg and, when answered, the forwarded leg. */
export function logCallOnly(app: AppUnderTest, run: UsageRun, number: TrackedNumber, call: { from: string; start: Date; talkSeconds: number }): string {
  const callSid = sid("CA");
  const ring = 7;
  const end = new Date(call.start.getTime() + (ring + call.talkSeconds + 1) * 1000);
  logCall(app, run, { sid: callSid, from: call.from, to: number.trackingNumber, status: "completed", direction: "inbound", startTime: call.start, endTime: end, duration: ring + call.talkSeconds + 1 });
  if (call.talkSeconds > 0) {
    const legStart = new Date(call.start.getTime() + 1000);
    logCall(app, run, { sid: sid("CA"), parentCallSid: callSid, from: call.from, to: number.primaryNumber, status: "completed", direction: "outbound-dial", startTime: legStart, endTime: end, duration: call.talkSeconds });
  }
  return callSid;
}

/** A call the business answers: the voice webhook, the <Dial> action, the status callback, and both legs in the log. */
export async function answeredCall(app: AppUnderTest, run: UsageRun, number: TrackedNumber, from: string, talkSeconds: number): Promise<void> {
  const call = { ...base(app), CallSid: sid("CA"), From: from, To: number.trackingNumber, Direction: "inbound" };
  const dialSid = sid("CA");
  const callSeconds = talkSeconds + 8;
  await app.postWebhook("/api/twilio/voice", { ...call, CallStatus: "ringing" });
  await app.postWebhook("/api/twilio/status?event=dial", { ...call, CallStatus: "in-progress", DialCallSid: dialSid, DialCallStatus: "completed", DialBridged: "true", DialCallDuration: String(talkSeconds) });
  await app.postWebhook("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: String(callSeconds) });
  const end = new Date();
  logCall(app, run, { sid: call.CallSid, from, to: number.trackingNumber, status: "completed", direction: "inbound", startTime: secondsBefore(end, callSeconds), endTime: end, duration: callSeconds });
  logCall(app, run, { sid: dialSid, parentCallSid: call.CallSid, from, to: number.primaryNumber, status: "completed", direction: "outbound-dial", startTime: secondsBefore(end, talkSeconds), endTime: end, duration: talkSeconds });
}

/** A call nobody answers (the app texts the caller back, and that text logs itself), with both legs in the log. */
export async function missedCall(app: AppUnderTest, run: UsageRun, number: TrackedNumber, from: string): Promise<void> {
  const call = { ...base(app), CallSid: sid("CA"), From: from, To: number.trackingNumber, Direction: "inbound" };
  const dialSid = sid("CA");
  await app.postWebhook("/api/twilio/voice", { ...call, CallStatus: "ringing" });
  await app.postWebhook("/api/twilio/status?event=dial", { ...call, CallStatus: "in-progress", DialCallSid: dialSid, DialCallStatus: "no-answer", DialBridged: "false" });
  await app.postWebhook("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "31" });
  const end = new Date();
  logCall(app, run, { sid: call.CallSid, from, to: number.trackingNumber, status: "completed", direction: "inbound", startTime: secondsBefore(end, 31), endTime: end, duration: 31 });
  logCall(app, run, { sid: dialSid, parentCallSid: call.CallSid, from, to: number.primaryNumber, status: "no-answer", direction: "outbound-dial", startTime: secondsBefore(end, 30), endTime: end });
}

/**
 * A text to the tracking number (from a lead, or from the client's own mobile), the relay the
 * app's TwiML asks for and its status callback (unless `callbackLost`), and both messages in the
 * log. Returns the relay: its SID and its recipient, so a scenario can see where the app sent it.
 */
export async function textWithRelay(
  app: AppUnderTest,
  run: UsageRun,
  number: TrackedNumber,
  text: { from: string; body: string; photo?: boolean; callbackLost?: boolean },
): Promise<{ relaySid: string; to: string }> {
  const messageSid = sid("SM");
  const media: Params = text.photo ? { NumMedia: "1", MediaUrl0: "https://api.twilio.com/2010-04-01/media/leak.jpg", MediaContentType0: "image/jpeg" } : { NumMedia: "0" };
  const twiml = await app.postWebhook("/api/twilio/sms", {
    ...base(app),
    MessageSid: messageSid,
    From: text.from,
    To: number.trackingNumber,
    Body: text.body,
    NumSegments: String(segmentsOf(text.body)),
    ...media,
  });
  const relay = /<Message to="([^"]+)"[^>]*>(?:<Body>([^<]*)<\/Body>)?/.exec(twiml);
  if (!relay) throw new Error(`the text to ${number.trackingNumber} was not relayed: ${twiml}`);
  const [, to, relayedBody = ""] = relay;
  const relaySid = sid("SM");
  const statusUrl = new URL(/action="([^"]+)"/.exec(twiml)![1].replaceAll("&amp;", "&"));
  if (!text.callbackLost) {
    await app.postWebhook(`${statusUrl.pathname}${statusUrl.search}`, { ...base(app), MessageSid: relaySid, MessageStatus: "delivered", From: number.trackingNumber, To: to });
  }
  const now = new Date();
  logMessage(app, run, { sid: messageSid, from: text.from, to: number.trackingNumber, body: text.body, direction: "inbound", dateSent: now, numSegments: segmentsOf(text.body), media: text.photo ? ["image/jpeg"] : undefined });
  logMessage(app, run, { sid: relaySid, from: number.trackingNumber, to, body: relayedBody, direction: "outbound-reply", dateSent: now, numSegments: segmentsOf(relayedBody), media: text.photo ? ["image/jpeg"] : undefined });
  return { relaySid, to };
}

/**
 * Twilio prices what it logged and charges for, as it does after the fact: 0.0085 a started minute
 * of a call leg, 0.0079 a segment, 0.0200 an MMS; a leg nobody answered costs nothing and keeps no
 * price. `except` stays unpriced. Returns how many records were priced.
 */
export function priceLogged(app: AppUnderTest, run: UsageRun, except: Set<string>): number {
  let priced = 0;
  for (const loggedSid of [...run.logged, ...app.twilio.sent.map((message) => message.sid)]) {
    const record = app.twilio.logged(loggedSid);
    if (!record) throw new Error(`${loggedSid} is not in the Twilio stand-in's logs`);
    if (except.has(loggedSid)) continue;
    let price: number;
    if ("status" in record) {
      const { duration } = record as CallLogEntry;
      if (!duration) continue;
      price = 0.0085 * Math.ceil(duration / 60);
    } else {
      const { media, numSegments } = record as MessageLogEntry;
      price = media?.length ? 0.02 : 0.0079 * (numSegments ?? 1);
    }
    app.twilio.setPrice(loggedSid, `-${price.toFixed(4)}`);
    priced += 1;
  }
  return priced;
}
