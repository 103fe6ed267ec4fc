import { randomBytes } from "node:crypto";
import twilio from "twilio";

export type Params = Record<string, string | string[]>;

export const sid = (prefix: "CA" | "SM" | "RE") => `${prefix}${randomBytes(16).toString("hex")}`;

export function toForm(params: Params): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const item of [value].flat()) form.append(key, item);
  return form;
}

/**
 * A webhook exactly as Twilio sends it: signed over PUBLIC_BASE_URL + path, but arriving at another
 * host, port and scheme, as it does behind a proxy.
 */
export function twilioRequest(
  path: string,
  params: Params,
  options: { token?: string; signedUrl?: string; arriveAt?: string; body?: BodyInit; headers?: Record<string, string>; method?: string } = {},
): Request {
  const token = options.token ?? process.env.TWILIO_AUTH_TOKEN!;
  const signedUrl = options.signedUrl ?? `${process.env.PUBLIC_BASE_URL}${path}`;
  const signature = twilio.getExpectedTwilioSignature(token, signedUrl, params);
  return new Request(`${options.arriveAt ?? "http://10.0.0.7:8080"}${path}`, {
    method: options.method ?? "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature, ...options.headers },
    body: options.method === "GET" ? undefined : (options.body ?? toForm(params).toString()),
  });
}
