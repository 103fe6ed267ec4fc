import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type { ServerEnv } from "../env";

/**
 * twilio-node has no base-URL option; this request client sends every API call to
 * TWILIO_API_URL instead, so tests and emulators can stand in for Twilio.
 */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly apiUrl: URL) {
    super({ timeout: 10_000 });
  }

  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const uri = new URL(opts.uri);
    uri.protocol = this.apiUrl.protocol;
    uri.host = this.apiUrl.host;
    return super.request<T>({ ...opts, uri: uri.toString() });
  }
}

export type TwilioRestClient = ReturnType<typeof twilio>;

const clients = new Map<string, TwilioRestClient>();

/** The REST client, or undefined when no account is configured (texts are then simulated). */
export function twilioRestClient(env: ServerEnv["twilio"]): TwilioRestClient | undefined {
  if (!env.accountSid) return undefined;
  const key = [env.accountSid, env.authTokens[0], env.apiUrl].join(" ");
  let client = clients.get(key);
  if (!client) {
    const httpClient = env.apiUrl ? new RedirectingRequestClient(new URL(env.apiUrl)) : new twilio.RequestClient({ timeout: 10_000 });
    client = twilio(env.accountSid, env.authTokens[0], { httpClient });
    clients.set(key, client);
  }
  return client;
}
