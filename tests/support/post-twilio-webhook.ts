import { twilioRequest, type Params } from "./twilio-webhook";

export type WebhookReply = { status: number; contentType: string; body: string };

/**
 * Posts a webhook to a running server (next start / next dev) over real HTTP, signed as Twilio
 * signs it: over the public URL Twilio was configured with (publicBaseUrl + path), while the
 * request itself arrives at `serverUrl` (127.0.0.1:port) — the proxy case.
 */
export async function postTwilioWebhook(
  serverUrl: string,
  path: string,
  params: Params,
  signing: { token: string; publicBaseUrl: string },
): Promise<WebhookReply> {
  const request = twilioRequest(path, params, {
    token: signing.token,
    signedUrl: `${signing.publicBaseUrl}${path}`,
    arriveAt: serverUrl,
  });
  const response = await fetch(request, { signal: AbortSignal.timeout(60_000) });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: await response.text() };
}
