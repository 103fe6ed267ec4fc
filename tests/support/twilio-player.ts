// Plays Twilio against a running server, for the fault suite and bench:scale: every webhook signed
// as Twilio signs it, a call's dial action and status callback in the order asked, and each call and
// text put in Twilio's call and message logs in the stand-in, which reconciliation reads. A voice
// or SMS webhook that fails (no answer, or not a 2xx) is asked once more at the number's fallback
// URL, which is the same route (lib/numbers/number-webhook-urls.ts); the dial action and status
// callback are not. The
// player keeps what it sent and what must be true afterwards.
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import type { CallLogEntry, TwilioApiStandIn } from "./stand-ins/twilio-api";
import { sid, twilioRequest, type Params } from "./twilio-webhook";

export type PlayedClient = { id: string; name: string; trackingNumber: string; primary: string; mobile: string };
export type CallOutcome = "answered" | "no-answer" | "busy" | "short" | "abandoned";
/** How a call's dial action and status callback arrive; the last sends every webhook twice, shuffled. */
export type Delivery = "in-order" | "status-first" | "together" | "twice-out-of-order";
export type WebhookKind = "voice" | "dial" | "status" | "sms";
/** `failed`: no answer or not a 2xx, which sends Twilio to the fallback URL; a 200 that is not the right TwiML is final. */
export type Webhook = { kind: WebhookKind; ok: boolean; failed: boolean; problem?: string; ms: number; fallback: boolean };
export type CallTruth = { client: PlayedClient; caller: string; outcome: CallOutcome; missed: boolean; textOwed: boolean };
export type TextTruth = { client: PlayedClient; caller: string };

export type TwilioPlayerOptions = {
  /** Where the webhooks arrive (the server, or a proxy in front of several). */
  serverUrl: () => string;
  twilioApi: TwilioApiStandIn;
  accountSid: string;
  authToken: string;
  /** What Twilio signs over: the URLs configured on the numbers start with it. */
  publicBaseUrl: string;
  missedCallMaxSeconds: number;
};

const TWILIO_TIMEOUT_MS = 15_000;
const VALID_TWIML = /^<\?xml version="1\.0" encoding="UTF-8"\?>(<Response\/>|<Response>[\s\S]*<\/Response>)$/;
const EXPECTED_VERB: Record<WebhookKind, RegExp | undefined> = { voice: /<Dial[ >]/, sms: /<Message[ >]/, dial: undefined, status: undefined };
const HAS_FALLBACK = new Set<WebhookKind>(["voice", "sms"]);

const CHILD_LEG: Record<CallOutcome, { status: CallLogEntry["status"]; bridged: boolean }> = {
  answered: { status: "completed", bridged: true },
  short: { status: "completed", bridged: true },
  "no-answer": { status: "no-answer", bridged: false },
  busy: { status: "busy", bridged: false },
  abandoned: { status: "canceled", bridged: false },
};

/** A played client's tracking number as its config row sets it up: a Google Ads Source number, text-back and voicemail on. */
export function playedClientConfig(client: PlayedClient, missedCallMaxSeconds: number, overrides: Partial<TrackingNumberConfig> = {}): TrackingNumberConfig {
  return {
    trackingNumber: client.trackingNumber,
    clientId: client.id,
    clientName: client.name,
    primaryNumber: client.primary,
    smsForwardNumber: client.mobile,
    textBackEnabled: true,
    textBackMessage: `Sorry we missed your call at ${client.name}!`,
    numberType: "Source",
    source: "Google Ads",
    ringTimeoutSeconds: 20,
    missedCallMaxSeconds,
    voicemailEnabled: true,
    showTrackingNumber: false,
    active: true,
    ...overrides,
  };
}

let callerSerial = 0;
/** A caller never used before in this process, so each call's text-back (or its absence) is its own. */
export const newCaller = () => `+1737${3_000_000 + callerSerial++}`;
export const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export class TwilioPlayer {
  readonly calls = new Map<string, CallTruth>();
  readonly texts = new Map<string, TextTruth>();
  readonly webhooks: Webhook[] = [];
  /** Callers Twilio refuses to text (21610): nothing is owed to them. */
  readonly optedOut = new Set<string>();
  constructor(private readonly options: TwilioPlayerOptions) {}

  leadKeys(): Set<string> {
    const keys = new Set<string>();
    for (const call of this.calls.values()) keys.add(`${call.client.id}:${call.caller}`);
    for (const text of this.texts.values()) keys.add(`${text.client.id}:${text.caller}`);
    return keys;
  }

  /** A call as Twilio plays it: the voice webhook, a ring, then the dial action and the parent's status callback. */
  async call(client: PlayedClient, outcome: CallOutcome, delivery: Delivery = "in-order", caller = newCaller()): Promise<void> {
    const { accountSid, missedCallMaxSeconds, twilioApi } = this.options;
    const callSid = sid("CA");
    const childSid = sid("CA");
    const missed = outcome !== "answered";
    this.calls.set(callSid, { client, caller, outcome, missed, textOwed: missed && !this.optedOut.has(caller) });
    const base = { AccountSid: accountSid, ApiVersion: "2010-04-01", CallSid: callSid, From: caller, To: client.trackingNumber, Direction: "inbound" };
    const voice = () => this.send("voice", "/api/twilio/voice", { ...base, CallStatus: "ringing" });
    if (delivery === "twice-out-of-order") await Promise.all([voice(), voice()]);
    else await voice();

    const ringSeconds = randomInt(3, 15);
    const talkSeconds = outcome === "answered" ? randomInt(missedCallMaxSeconds + 5, 300) : outcome === "short" ? randomInt(1, missedCallMaxSeconds) : 0;
    await sleep(randomInt(200, 1200));
    const child = CHILD_LEG[outcome];
    const dial = {
      ...base,
      CallStatus: "in-progress",
      DialCallSid: childSid,
      DialCallStatus: child.status,
      DialBridged: String(child.bridged),
      ...(talkSeconds > 0 ? { DialCallDuration: String(talkSeconds) } : {}),
    };
    const status = { ...base, CallStatus: "completed", CallDuration: String(ringSeconds + talkSeconds), Duration: String(Math.ceil((ringSeconds + talkSeconds) / 60)) };
    // The call has ended by the time Twilio sends its last callbacks, and its log already holds both
    // legs, dated back from then.
    const endedAt = new Date();
    const startedAt = new Date(endedAt.getTime() - (ringSeconds + talkSeconds) * 1000);
    twilioApi.addCall({
      sid: callSid,
      from: caller,
      to: client.trackingNumber,
      direction: "inbound",
      status: "completed",
      startTime: startedAt,
      endTime: endedAt,
      duration: ringSeconds + talkSeconds,
    });
    twilioApi.addCall({
      sid: childSid,
      parentCallSid: callSid,
      from: caller,
      to: client.primary,
      direction: "outbound-dial",
      status: child.status,
      startTime: new Date(endedAt.getTime() - talkSeconds * 1000),
      endTime: endedAt,
      duration: talkSeconds,
    });
    const sendDial = () => this.send("dial", "/api/twilio/status?event=dial", dial);
    const sendStatus = () => this.send("status", "/api/twilio/status", status);
    // A caller who hangs up while the business phone rings may leave no dial outcome at all.
    const callbacks = outcome === "abandoned" ? [sendStatus] : [sendDial, sendStatus];
    if (delivery === "in-order") for (const callback of callbacks) await callback();
    else if (delivery === "status-first") for (const callback of callbacks.reverse()) await callback();
    else if (delivery === "together") await Promise.all(callbacks.map((callback) => callback()));
    else for (const callback of shuffled([...callbacks, ...callbacks])) await callback();
  }

  /** A lead texts a tracking number. */
  async text(client: PlayedClient, caller: string, delivery: Delivery = "in-order"): Promise<void> {
    const messageSid = sid("SM");
    this.texts.set(messageSid, { client, caller });
    const params = { AccountSid: this.options.accountSid, MessageSid: messageSid, From: caller, To: client.trackingNumber, Body: `Hi, this is ${caller}`, NumMedia: "0", NumSegments: "1" };
    const sendText = () => this.send("sms", "/api/twilio/sms", params);
    if (delivery === "twice-out-of-order") await Promise.all([sendText(), sendText()]);
    else await sendText();
    this.options.twilioApi.addMessage({ sid: messageSid, from: caller, to: client.trackingNumber, body: params.Body, direction: "inbound", dateSent: new Date() });
  }

  private async send(kind: WebhookKind, path: string, params: Params): Promise<void> {
    const first = await this.post(kind, path, params, false);
    this.webhooks.push(first);
    if (first.failed && HAS_FALLBACK.has(kind)) this.webhooks.push(await this.post(kind, path, params, true));
  }

  private async post(kind: WebhookKind, path: string, params: Params, fallback: boolean): Promise<Webhook> {
    const { authToken, publicBaseUrl, serverUrl } = this.options;
    const request = twilioRequest(path, params, { token: authToken, signedUrl: publicBaseUrl + path, arriveAt: serverUrl() });
    const started = performance.now();
    try {
      const response = await fetch(request, { signal: AbortSignal.timeout(TWILIO_TIMEOUT_MS) });
      const body = await response.text();
      const verb = EXPECTED_VERB[kind];
      const ok = response.status === 200 && (response.headers.get("content-type") ?? "").startsWith("text/xml") && VALID_TWIML.test(body) && (!verb || verb.test(body));
      return { kind, ok, failed: !response.ok, fallback, ms: performance.now() - started, problem: ok ? undefined : `${kind} ${response.status}: ${body.slice(0, 160)}` };
    } catch (error) {
      return { kind, ok: false, failed: true, fallback, ms: performance.now() - started, problem: `${kind}: ${(error as Error).message}` };
    }
  }
}
