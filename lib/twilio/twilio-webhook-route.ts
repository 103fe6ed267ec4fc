import { PublicError } from "../http/public-error";
import { wakeOutboxDrainer } from "../outbox/drain-outbox";
import { EMPTY_TWIML, type WebhookAnswer } from "./twiml";

type Defer = (task: () => Promise<void>) => void;

/**
 * Wraps a Twilio route: bad requests get a one-line 4xx; anything unexpected is logged and still
 * answered with valid TwiML, because a 5xx makes Twilio play "an application error has occurred"
 * to the caller. Deferred work runs after the answer (Next's `after()`), then wakes the outbox
 * drainer, which delivers what the webhook queued for Airtable.
 */
export function twilioWebhookRoute(defer: Defer, handle: (request: Request) => Promise<WebhookAnswer>, fallbackTwiml = EMPTY_TWIML) {
  return async function POST(request: Request): Promise<Response> {
    let answer: WebhookAnswer;
    try {
      answer = await handle(request);
    } catch (error) {
      if (error instanceof PublicError) return plainText(error.status, error.message);
      console.error(`twilio webhook ${new URL(request.url).pathname} failed:`, error);
      answer = { twiml: fallbackTwiml };
    }
    const { afterResponse } = answer;
    defer(async () => {
      await afterResponse?.().catch((error) => console.error("deferred webhook work failed:", error));
      await wakeOutboxDrainer().catch((error) => console.error("outbox drainer failed:", error));
    });
    return new Response(answer.twiml, { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
  };
}

export function plainText(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** For the methods a Twilio route does not take, a clear 405 rather than a bare one. */
export function onlyPost(): Response {
  const response = plainText(405, "method not allowed: Twilio webhooks are POST");
  response.headers.set("allow", "POST");
  return response;
}
