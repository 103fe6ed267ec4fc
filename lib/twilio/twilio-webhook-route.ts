import { PublicError } from "../http/public-error";
import { EMPTY_TWIML, type WebhookAnswer } from "./twiml";

export type TwilioRouteOptions = {
  /** Runs a task once the answer is on its way (Next's `after()`). */
  defer: (task: () => Promise<void>) => void;
  /** Work every webhook of this route triggers after its own deferred work, such as waking the outbox drainer. */
  afterEach?: () => Promise<void>;
  /** What Twilio gets if something unforeseen breaks. */
  fallbackTwiml?: string;
};

/**
 * Wraps a Twilio route: bad requests get a one-line 4xx; anything unexpected is logged and still
 * answered with valid TwiML, because a 5xx makes Twilio play "an application error has occurred"
 * to the caller. The webhook's own deferred work runs after the answer, then `afterEach`.
 */
export function twilioWebhookRoute(options: TwilioRouteOptions, handle: (request: Request) => Promise<WebhookAnswer>) {
  const { defer, afterEach, fallbackTwiml = EMPTY_TWIML } = options;
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
      await afterEach?.().catch((error) => console.error("after-webhook work failed:", error));
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
