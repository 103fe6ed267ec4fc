// The webhook brain end to end on `next build && next start` against PostgreSQL: real HTTP, real
// signatures over the public URL, the real twilio client inside after(), the real airtable
// package for read-through, with local stand-ins for Twilio's and Airtable's REST APIs.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CONFIG_FIELDS } from "@/lib/airtable/config-fields";
import { openPostgresDatabase } from "@/lib/db/open-postgres-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { ensureProductionBuild, startNextServer, type RunningServer } from "../support/next-server";
import { postTwilioWebhook, type WebhookReply } from "../support/post-twilio-webhook";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

const PUBLIC_BASE_URL = "https://leads.example.test";
const ACCOUNT_SID = `AC${"0123456789abcdef".repeat(2)}`;
const AUTH_TOKEN = randomBytes(16).toString("hex");
const AIRTABLE_TOKEN = "patE2eToken.0001";
const AIRTABLE_BASE_ID = "appE2eBase0000001";
const CONFIG_TABLE = "Client Configuration";

// Seeded (supabase/seed.sql): Acme Plumbing's Google Ads number, forwarded to its office line.
const ACME_TRACKING = "+15125550100";
const ACME_PRIMARY = "+15125550111";
const ACME_TEXT_BACK = "Sorry we missed your call at Acme Plumbing! Reply here and we will get right back to you.";

const twilioApi = twilioApiStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const airtable = airtableApiStandIn({ token: AIRTABLE_TOKEN, baseId: AIRTABLE_BASE_ID });

let server: RunningServer | undefined;
let twilioStandIn: RunningStandIn | undefined;
let airtableStandIn: RunningStandIn | undefined;
let db: pg.Client | undefined;

/** The tail of the server's log, for assertion messages: a failure should say what the server said. */
const serverLog = () => `\n--- next start output (tail) ---\n${(server?.output() ?? "(server not started)").slice(-6000)}`;

const post = (path: string, params: Record<string, string>, token = AUTH_TOKEN): Promise<WebhookReply> =>
  postTwilioWebhook(server!.url, path, params, { token, publicBaseUrl: PUBLIC_BASE_URL });

async function rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db!.query<T>(sql, params)).rows;
}

/** The call logged by after(), once the answer is out: a few milliseconds, waited for up to 5 s. */
async function loggedCall<T extends pg.QueryResultRow>(sql: string, callSid: string): Promise<T[]> {
  return vi.waitFor(
    async () => {
      const found = await rows<T>(sql, [callSid]);
      expect(found, `call ${callSid} never logged${serverLog()}`).toHaveLength(1);
      return found;
    },
    { timeout: 5_000, interval: 25 },
  );
}

function expectTwiml(reply: WebhookReply, what: string): void {
  expect(reply.status, `${what}: ${reply.body}${serverLog()}`).toBe(200);
  expect(reply.contentType, what).toMatch(/^text\/xml/);
}

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  ensureProductionBuild();

  const seeder = openPostgresDatabase(databaseUrl, { deadlineMs: 0, max: 1 });
  try {
    await seedDatabase(seeder, { onlyIfEmpty: true });
  } finally {
    await seeder.close();
  }

  airtable.defineTable(CONFIG_TABLE, Object.values(CONFIG_FIELDS));
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  twilioStandIn = await serveStandIn(twilioApi.handle);
  airtableStandIn = await serveStandIn(airtable.handle);

  server = await startNextServer({
    env: {
      DATABASE_URL: databaseUrl,
      PUBLIC_BASE_URL,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_URL: twilioStandIn.url,
      AIRTABLE_TOKEN,
      AIRTABLE_BASE_ID,
      AIRTABLE_API_URL: airtableStandIn.url,
    },
    timeoutMs: 90_000,
  });

  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
}, 300_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
  await twilioStandIn?.close();
  await airtableStandIn?.close();
}, 60_000);

describe("Twilio webhooks on next start with PostgreSQL", () => {
  it("forwards a call to a seeded tracking number to the client's primary number and logs it", async () => {
    const callSid = sid("CA");
    const caller = phoneNumber("737");

    const reply = await post("/api/twilio/voice", { CallSid: callSid, From: caller, To: ACME_TRACKING, CallStatus: "ringing", Direction: "inbound" });

    expectTwiml(reply, "voice webhook");
    expect(reply.body).toContain(`<Dial action="${PUBLIC_BASE_URL}/api/twilio/status?event=dial" method="POST" timeout="20">`);
    expect(reply.body).toContain(`<Number>${ACME_PRIMARY}</Number>`);
    const calls = await loggedCall("select client_id, caller, tracking_number, forwarded_to, lead_id from public.calls where call_sid = $1", callSid);
    expect(calls, serverLog()).toEqual([
      { client_id: "acme-plumbing", caller, tracking_number: ACME_TRACKING, forwarded_to: ACME_PRIMARY, lead_id: expect.any(String) },
    ]);
    const leads = await rows("select lead_key from public.leads where id = $1", [calls[0].lead_id]);
    expect(leads).toEqual([{ lead_key: `acme-plumbing:${caller}` }]);
  });

  it("answers a missed call with voicemail and sends exactly one text-back through the real Twilio client, even when the dial callback repeats", async () => {
    const callSid = sid("CA");
    const caller = phoneNumber("737");
    const call = { AccountSid: ACCOUNT_SID, CallSid: callSid, From: caller, To: ACME_TRACKING };
    const dialOutcome = { ...call, CallStatus: "in-progress", DialCallStatus: "no-answer", DialCallSid: sid("CA"), DialBridged: "false" };
    const sentBefore = twilioApi.sent.length;

    expectTwiml(await post("/api/twilio/voice", { ...call, CallStatus: "ringing", Direction: "inbound" }), "voice webhook");
    const dial = await post("/api/twilio/status?event=dial", dialOutcome);

    expectTwiml(dial, "dial outcome");
    expect(dial.body).toContain("<Say>Sorry, Acme Plumbing can't take your call right now.");
    expect(dial.body).toContain(`<Record action="${PUBLIC_BASE_URL}/api/twilio/status?event=voicemail"`);

    // The text goes out in after(), once the answer is sent: wait for it, but not forever.
    await vi.waitFor(() => expect(twilioApi.sent.length, `no text reached the Twilio stand-in${serverLog()}`).toBeGreaterThan(sentBefore), {
      timeout: 15_000,
      interval: 50,
    });
    const texts = twilioApi.sent.slice(sentBefore);
    expect(texts).toEqual([
      {
        sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
        from: ACME_TRACKING,
        to: caller,
        body: ACME_TEXT_BACK,
        messagingServiceSid: undefined,
        statusCallback: `${PUBLIC_BASE_URL}/api/twilio/status`,
      },
    ]);
    const messageSid = texts[0].sid;

    await vi.waitFor(
      async () => {
        const [textBack] = await rows("select status from internal.text_backs where call_sid = $1", [callSid]);
        expect(textBack?.status, `text-back row never reached "sent"${serverLog()}`).toBe("sent");
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(await rows("select client_id, caller, from_number, body, message_sid, error_code from internal.text_backs where call_sid = $1", [callSid])).toEqual([
      { client_id: "acme-plumbing", caller, from_number: ACME_TRACKING, body: ACME_TEXT_BACK, message_sid: messageSid, error_code: null },
    ]);
    expect(await rows("select direction, author, tracking_number, counterpart, body, status from public.messages where message_sid = $1", [messageSid])).toEqual([
      { direction: "outbound", author: "auto", tracking_number: ACME_TRACKING, counterpart: caller, body: ACME_TEXT_BACK, status: "queued" },
    ]);
    expect(await rows("select outcome, missed_reason, dial_status, dial_bridged from public.calls where call_sid = $1", [callSid])).toEqual([
      { outcome: "missed", missed_reason: "no-answer", dial_status: "no-answer", dial_bridged: false },
    ]);

    // Twilio repeats callbacks: the same dial outcome again still continues the call, and texts no one.
    const repeat = await post("/api/twilio/status?event=dial", dialOutcome);
    expectTwiml(repeat, "repeated dial outcome");
    expect(repeat.body).toContain("<Record");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(twilioApi.sent.slice(sentBefore), `a second text went out${serverLog()}`).toHaveLength(1);
    expect(await rows("select count(*)::int as n from internal.text_backs where call_sid = $1", [callSid])).toEqual([{ n: 1 }]);
    expect(await rows("select count(*)::int as n from public.messages where counterpart = $1 and direction = 'outbound'", [caller])).toEqual([{ n: 1 }]);
  });

  it("forwards a number missing from the snapshot to the Primary Number of its Airtable row, read through once", async () => {
    const trackingNumber = "+15125550160";
    const row = airtable.addRow(CONFIG_TABLE, {
      [CONFIG_FIELDS.trackingNumber]: "(512) 555-0160",
      [CONFIG_FIELDS.clientId]: "hill-country-hvac",
      [CONFIG_FIELDS.clientName]: "Hill Country HVAC",
      [CONFIG_FIELDS.primaryNumber]: "512.555.0161",
      [CONFIG_FIELDS.textBackEnabled]: true,
      [CONFIG_FIELDS.source]: "Yelp",
      [CONFIG_FIELDS.numberType]: "Source",
      [CONFIG_FIELDS.active]: true,
    });
    expect(await rows("select 1 from public.tracking_numbers where phone_number = $1", [trackingNumber])).toEqual([]);
    const airtableRequestsBefore = airtable.requests.length;
    const callSid = sid("CA");
    const caller = phoneNumber("737");

    const reply = await post("/api/twilio/voice", { CallSid: callSid, From: caller, To: trackingNumber, CallStatus: "ringing", Direction: "inbound" });

    expectTwiml(reply, "voice webhook for an Airtable-only number");
    expect(reply.body, serverLog()).toContain("<Number>+15125550161</Number>");
    // Config reads only: the outbox drainer, woken after each answer, writes to the Lead Pipeline too.
    const configReads = () => airtable.requests.slice(airtableRequestsBefore).filter((request) => request.method === "GET");
    const lookups = configReads();
    expect(lookups, serverLog()).toHaveLength(1);
    expect(lookups[0]).toMatchObject({ method: "GET", url: expect.stringContaining("filterByFormula=") });
    expect(await rows("select client_id, primary_number, source, airtable_record_id from public.tracking_numbers where phone_number = $1", [trackingNumber])).toEqual([
      { client_id: "hill-country-hvac", primary_number: "+15125550161", source: "Yelp", airtable_record_id: row.id },
    ]);
    expect(await loggedCall("select client_id, forwarded_to from public.calls where call_sid = $1", callSid)).toEqual([
      { client_id: "hill-country-hvac", forwarded_to: "+15125550161" },
    ]);

    // Now known: the next call to it never waits on Airtable.
    const secondSid = sid("CA");
    const again = await post("/api/twilio/voice", { CallSid: secondSid, From: phoneNumber("737"), To: trackingNumber });
    expectTwiml(again, "second call to the read-through number");
    expect(again.body).toContain("<Number>+15125550161</Number>");
    await loggedCall("select call_sid from public.calls where call_sid = $1", secondSid);
    expect(configReads()).toHaveLength(1);
  });

  it("refuses a webhook with a bad signature with 403 and writes nothing", async () => {
    const countsSql = `select (select count(*)::int from public.calls) as calls, (select count(*)::int from public.leads) as leads,
                              (select count(*)::int from internal.outbox) as outbox, (select count(*)::int from public.messages) as messages`;
    const [before] = await rows(countsSql);
    const forged = { CallSid: sid("CA"), From: phoneNumber("737"), To: ACME_TRACKING };
    const signedForLocalUrl = { CallSid: sid("CA"), From: phoneNumber("737"), To: ACME_TRACKING };

    const wrongToken = await post("/api/twilio/voice", forged, randomBytes(16).toString("hex"));
    // Right token, but signed over the URL the server is reached at rather than PUBLIC_BASE_URL.
    const wrongUrl = await postTwilioWebhook(server!.url, "/api/twilio/voice", signedForLocalUrl, { token: AUTH_TOKEN, publicBaseUrl: server!.url });

    for (const reply of [wrongToken, wrongUrl]) {
      expect(reply.status, `${reply.body}${serverLog()}`).toBe(403);
      expect(reply.body).not.toContain("<Dial");
    }
    expect(await rows("select call_sid from public.calls where call_sid = any($1)", [[forged.CallSid, signedForLocalUrl.CallSid]])).toEqual([]);
    expect(await rows(countsSql)).toEqual([before]);
  });
});

describe("the Lead Pipeline on next start", () => {
  it("gets each lead's row from the drainer after() wakes, with its calls counted, and no 429", async () => {
    const caller = phoneNumber("737");
    const dials: Record<string, string>[] = [
      { DialCallStatus: "no-answer", DialBridged: "false" },
      { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "120" },
    ];
    for (const dial of dials) {
      const call = { CallSid: sid("CA"), From: caller, To: ACME_TRACKING };
      expectTwiml(await post("/api/twilio/voice", call), "voice webhook");
      expectTwiml(await post("/api/twilio/status?event=dial", { ...call, ...dial }), "dial action");
    }

    await vi.waitFor(
      () => {
        const rows = airtable.rows(LEAD_PIPELINE_TABLE).filter((row) => row.fields["Lead Key"] === `acme-plumbing:${caller}`);
        expect(rows, `no pipeline row for ${caller}${serverLog()}`).toHaveLength(1);
        expect(rows[0].fields).toMatchObject({ Caller: caller, "Tracking Number": ACME_TRACKING, Calls: 2, "Missed Calls": 1 });
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(airtable.count429()).toBe(0);
  });
});

describe("starting the production server with a bad environment", () => {
  it.each([
    ["no TWILIO_AUTH_TOKEN", { PUBLIC_BASE_URL }, /TWILIO_AUTH_TOKEN is required in production/],
    ["a PUBLIC_BASE_URL without a scheme", { PUBLIC_BASE_URL: "leads.example.test", TWILIO_AUTH_TOKEN: AUTH_TOKEN }, /PUBLIC_BASE_URL must be a URL/],
    ["a DATABASE_URL that is not PostgreSQL", { PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN: AUTH_TOKEN, DATABASE_URL: "mysql://db" }, /DATABASE_URL must look like postgresql:/],
  ])("stops on %s with a message naming the variable", async (_, env, message) => {
    const started = startNextServer({ env, timeoutMs: 30_000 });
    await expect(started).rejects.toThrow(/exited early/);
    await expect(started).rejects.toThrow(message);
  }, 60_000);
});
