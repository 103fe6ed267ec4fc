// Airtable and Twilio's REST API faked at the HTTP boundary with msw, so the real airtable and
// twilio packages run; any other outbound request fails the test.
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { airtableApiStandIn } from "./stand-ins/airtable-api";
import { twilioApiStandIn } from "./stand-ins/twilio-api";

export const CONFIG_TABLE = "Client Configuration";

export function useRemoteServices() {
  const env = process.env as Record<string, string>;
  const twilioApi = twilioApiStandIn({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN });
  const airtable = airtableApiStandIn({ token: env.AIRTABLE_TOKEN, baseId: env.AIRTABLE_BASE_ID });
  const server = setupServer(
    http.all(`${env.TWILIO_API_URL}/*`, ({ request }) => twilioApi.handle(request)),
    http.all(`${env.AIRTABLE_API_URL}/*`, ({ request }) => airtable.handle(request)),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => {
    twilioApi.reset();
    airtable.reset();
  });
  afterAll(() => server.close());
  return { twilioApi, airtable };
}
