import type { z } from "zod";
import { serverEnv } from "../env";
import { describeFirstIssue } from "../http/describe-first-issue";
import { PublicError } from "../http/public-error";
import { readBoundedBody } from "../http/read-bounded-body";
import { isValidTwilioSignature, type TwilioParams } from "./verify-twilio-signature";

// Twilio's largest webhooks (many media URLs) are a few KB; anything near this is not Twilio.
export const MAX_WEBHOOK_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a Twilio webhook the one safe way: a bounded form body read once, the signature checked
 * against PUBLIC_BASE_URL + path + raw query. Throws PublicError (4xx) for anything else; nothing
 * has been written by then.
 */
export async function readTwilioWebhook(request: Request): Promise<TwilioWebhook> {
  const receivedAt = new Date();
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new PublicError(415, "Twilio webhooks are form-encoded (application/x-www-form-urlencoded)");
  }
  const body = await readBoundedText(request);
  const params = formParams(body);

  const env = serverEnv();
  const url = env.publicBaseUrl + pathAndQuery(request.url);
  if (!isValidTwilioSignature(env.twilio.authTokens, request.headers.get("x-twilio-signature"), url, params)) {
    throw new PublicError(403, "invalid or missing X-Twilio-Signature");
  }

  return { params, query: new URL(request.url).searchParams, receivedAt };
}

/**
 * A verified webhook. `receivedAt` is when Twilio's request arrived: rows carry it, never the time
 * a deferred write ran, so the order of events survives a database that was slow or down.
 */
export type TwilioWebhook = { params: TwilioParams; query: URLSearchParams; receivedAt: Date };

/** Parses verified parameters; a missing or malformed field is a 400 naming it. */
export function parseTwilioParams<S extends z.ZodType>(schema: S, params: TwilioParams): z.output<S> {
  const single = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
  const parsed = schema.safeParse(single);
  if (parsed.success) return parsed.data;
  throw new PublicError(400, describeFirstIssue(parsed.error));
}

async function readBoundedText(request: Request): Promise<string> {
  const body = await readBoundedBody(request, MAX_WEBHOOK_BYTES);
  if (body === undefined) throw new PublicError(413, `body larger than ${MAX_WEBHOOK_BYTES} bytes`);
  try {
    return utf8.decode(body);
  } catch {
    throw new PublicError(400, "body is not valid UTF-8");
  }
}

function formParams(body: string): TwilioParams {
  const params: TwilioParams = {};
  let decoded: URLSearchParams;
  try {
    decoded = new URLSearchParams(body);
  } catch {
    throw new PublicError(400, "body is not a valid form");
  }
  for (const [key, value] of decoded) {
    if (/\uFFFD/.test(key + value)) throw new PublicError(400, "form values are not valid UTF-8");
    const existing = params[key];
    params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return params;
}

/** The path and raw query exactly as requested; the host and scheme the server saw are ignored. */
function pathAndQuery(requestUrl: string): string {
  const url = new URL(requestUrl);
  return url.pathname + url.search;
}
