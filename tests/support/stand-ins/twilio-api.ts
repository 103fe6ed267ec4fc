import { randomBytes } from "node:crypto";
import { json, sleep, type StandIn } from "./stand-in";

export type SentMessage = { sid: string; to: string; from?: string; messagingServiceSid?: string; body: string; statusCallback?: string };

/**
 * Twilio's Messages API as the twilio package calls it: Basic auth with the account SID and token,
 * a form body, 201 with the message, or Twilio's error JSON (code 21610 for an opted-out number).
 */
export function twilioApiStandIn(options: { accountSid: string; authToken: string }) {
  const sent: SentMessage[] = [];
  const attemptsTo = new Map<string, number>();
  const failures = new Map<string, { status: number; code: number; message: string; times: number }>();
  let latencyMs = 0;

  const handle: StandIn = async (request) => {
    const url = new URL(request.url);
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (!match || request.method !== "POST") return json(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
    if (match[1] !== options.accountSid || request.headers.get("authorization") !== expected) {
      return json(401, { code: 20003, message: "Authenticate", status: 401 });
    }
    if (latencyMs) await sleep(latencyMs);
    const form = new URLSearchParams(await request.text());
    const to = form.get("To") ?? "";
    attemptsTo.set(to, (attemptsTo.get(to) ?? 0) + 1);
    const failure = failures.get(to);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return json(failure.status, { code: failure.code, message: failure.message, status: failure.status });
    }
    const message: SentMessage = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      to,
      from: form.get("From") ?? undefined,
      messagingServiceSid: form.get("MessagingServiceSid") ?? undefined,
      body: form.get("Body") ?? "",
      statusCallback: form.get("StatusCallback") ?? undefined,
    };
    sent.push(message);
    return json(201, { sid: message.sid, account_sid: options.accountSid, to, from: message.from, body: message.body, status: "queued" });
  };

  return {
    handle,
    sent,
    /** Refuses texts to this number with Twilio's error JSON, `times` times (default: always). */
    failFor(to: string, failure: { status?: number; code: number; message?: string; times?: number }) {
      failures.set(to, { status: failure.status ?? 400, code: failure.code, message: failure.message ?? "error", times: failure.times ?? Infinity });
    },
    attempts(to: string): number {
      return attemptsTo.get(to) ?? 0;
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    reset() {
      sent.length = 0;
      attemptsTo.clear();
      failures.clear();
      latencyMs = 0;
    },
  };
}
export type TwilioApiStandIn = ReturnType<typeof twilioApiStandIn>;
