// The Twilio phone-number and Airtable stand-ins on real local ports, the Client Configuration table
// as `npm run airtable:setup` makes it, and the environment a developer's shell gives the numbers
// commands against them.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { baseSchema } from "@/lib/airtable/base-schema";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { getDatabase } from "@/lib/db/get-database";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { json } from "../support/stand-ins/stand-in";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioPhoneNumbersStandIn } from "../support/stand-ins/twilio-phone-numbers";

export const CONFIG_TABLE = "Client Configuration";
export const PUBLIC_BASE_URL = "https://leads.agency.example";
const env = process.env as Record<string, string>;

export const CONFIG_TABLE_FIELDS = baseSchema({ configTable: CONFIG_TABLE, leadsTable: "Lead Pipeline" })[0].fields;

/** Acme's Source row for its main number, as an agency would have typed it. */
export const ACME_ROW = {
  [F.trackingNumber]: "+15125550100",
  [F.clientId]: "acme",
  [F.clientName]: "Acme Plumbing",
  [F.primaryNumber]: "+12145550111",
  [F.smsForwardNumber]: "+12145550122",
  [F.textBackEnabled]: true,
  [F.textBackMessage]: "Sorry we missed you at Acme! Reply here.",
  [F.ringTimeout]: 25,
  [F.websiteDomains]: "acmeplumbing.com",
  [F.numberType]: "Source",
  [F.active]: true,
};

export function useNumbersStandIns() {
  const twilio = twilioPhoneNumbersStandIn({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN });
  const airtable = airtableApiStandIn({ token: env.AIRTABLE_TOKEN, baseId: env.AIRTABLE_BASE_ID });
  let twilioServer: RunningStandIn;
  let airtableServer: RunningStandIn;
  let failingWrites: { status: number; afterApplying: boolean } | undefined;
  beforeAll(async () => {
    twilioServer = await serveStandIn(twilio.handle);
    // Airtable answering a write with a 5xx, having done it or not, while reads still work.
    airtableServer = await serveStandIn(async (request) => {
      if (!failingWrites || request.method === "GET") return airtable.handle(request);
      if (failingWrites.afterApplying) await airtable.handle(request);
      return json(failingWrites.status, { error: { type: "SERVER_ERROR", message: "Try again" } });
    });
  });
  beforeEach(() => {
    airtable.defineTable(CONFIG_TABLE, CONFIG_TABLE_FIELDS);
  });
  afterEach(() => {
    failingWrites = undefined;
    twilio.reset();
    airtable.reset();
  });
  afterAll(async () => {
    await twilioServer.close();
    await airtableServer.close();
  });

  /** The variables a developer sets for the numbers commands; DATABASE_URL too when the test has one, unless left out. */
  const commandEnv = (options: { withDatabase?: boolean } = {}): Record<string, string> => ({
    PUBLIC_BASE_URL,
    TWILIO_ACCOUNT_SID: env.TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: env.TWILIO_AUTH_TOKEN,
    TWILIO_API_URL: twilioServer.url,
    AIRTABLE_TOKEN: env.AIRTABLE_TOKEN,
    AIRTABLE_BASE_ID: env.AIRTABLE_BASE_ID,
    AIRTABLE_API_URL: airtableServer.url,
    ...(options.withDatabase !== false && env.DATABASE_URL && { DATABASE_URL: env.DATABASE_URL }),
  });

  return {
    twilio,
    airtable,
    commandEnv,
    /** Airtable answers every write (not reads) with this status until the test ends, after doing it if `afterApplying`. */
    failAirtableWrites(status: number, options: { afterApplying?: boolean } = {}) {
      failingWrites = { status, afterApplying: options.afterApplying ?? false };
    },
  };
}

/** Slots taken on the base's shared pace so far, by every command and instance. */
export async function paceSlotsTaken(): Promise<number> {
  const [pace] = await (await getDatabase()).query<{ requests: number }>("select requests from internal.airtable_pace where base_id = $1", [env.AIRTABLE_BASE_ID]);
  return pace?.requests ?? 0;
}
