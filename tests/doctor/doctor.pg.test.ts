// npm run doctor, run as a developer runs it: its own process, with exactly the deployment's
// environment. The deployment is this test process: its real health route served over https at
// 127.0.0.1 (a certificate made for this run, which the doctor trusts through NODE_EXTRA_CA_CERTS),
// on this file's throwaway PostgreSQL database, with the Airtable and Twilio stand-ins on real ports.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { baseSchema } from "@/lib/airtable/base-schema";
import { CONFIG_FIELDS as C } from "@/lib/airtable/config-fields";
import { refreshAirtableWebhooks } from "@/lib/airtable/refresh-airtable-webhooks";
import { setUpBase } from "@/lib/airtable/set-up-base";
import { syncFromAirtable } from "@/lib/config/sync-from-airtable";
import { getDatabase } from "@/lib/db/get-database";
import { listMigrations } from "@/lib/db/migrate-database";
import { serverEnv } from "@/lib/env";
import { numberWebhookUrls } from "@/lib/numbers/number-webhook-urls";
import { closedLocalPort } from "../support/black-hole-server";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { runScript } from "../support/run-command";
import { selfSignedCertificate } from "../support/self-signed-certificate";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { json } from "../support/stand-ins/stand-in";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioPhoneNumbersStandIn } from "../support/stand-ins/twilio-phone-numbers";

const vars = process.env as Record<string, string>;
const CONFIG_TABLE = "Client Configuration";
const TRACKING_NUMBERS = ["+15125550100", "+15125550101"];

const certificate = selfSignedCertificate();
const airtable = airtableApiStandIn({ token: vars.AIRTABLE_TOKEN, baseId: vars.AIRTABLE_BASE_ID });
const twilio = twilioPhoneNumbersStandIn({ accountSid: vars.TWILIO_ACCOUNT_SID, authToken: vars.TWILIO_AUTH_TOKEN });
let deployment: RunningStandIn;
let airtableServer: RunningStandIn;
let twilioServer: RunningStandIn;

/** The deployment's environment, as `vercel env pull` or a server's env file would give it, with changes. */
function deploymentEnv(changes: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PUBLIC_BASE_URL: deployment.url,
    NODE_EXTRA_CA_CERTS: certificate.certPath,
    DATABASE_URL: vars.DATABASE_URL,
    TWILIO_ACCOUNT_SID: vars.TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: vars.TWILIO_AUTH_TOKEN,
    TWILIO_API_URL: twilioServer.url,
    AIRTABLE_TOKEN: vars.AIRTABLE_TOKEN,
    AIRTABLE_BASE_ID: vars.AIRTABLE_BASE_ID,
    AIRTABLE_API_URL: airtableServer.url,
    CRON_SECRET: "doctor-cron-secret",
    NEXT_PUBLIC_SUPABASE_URL: "https://abcdefgh.supabase.co",
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "sb_publishable_doctor",
    ...changes,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const doctor = async (changes: Record<string, string | undefined> = {}) => {
  const run = await runScript("doctor", [], { env: deploymentEnv(changes) });
  return { ...run, lines: run.stdout.split("\n") };
};

beforeAll(async () => {
  deployment = await serveStandIn(async (request) => (new URL(request.url).pathname === "/api/health" ? health() : json(404, {})), {
    tls: { key: certificate.key, cert: certificate.cert },
  });
  airtableServer = await serveStandIn(airtable.handle);
  twilioServer = await serveStandIn(twilio.handle);
  vi.stubEnv("PUBLIC_BASE_URL", deployment.url);
  vi.stubEnv("AIRTABLE_API_URL", airtableServer.url);
  vi.stubEnv("TWILIO_API_URL", twilioServer.url);

  // The deployment as the README leaves it: the base set up (and Status Modified added by hand),
  // its webhooks registered, a config sync run, and the numbers pointed at PUBLIC_BASE_URL.
  const settings = serverEnv().airtable!;
  await setUpBase(settings);
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  for (const number of TRACKING_NUMBERS) {
    airtable.addRow(CONFIG_TABLE, { [C.trackingNumber]: number, [C.clientId]: "acme", [C.primaryNumber]: "+12145550111", [C.active]: true });
    twilio.own(number, numberWebhookUrls(deployment.url));
  }
  const db = await getDatabase();
  await refreshAirtableWebhooks(db, settings, deployment.url);
  await syncFromAirtable();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([deployment.close(), airtableServer.close(), twilioServer.close()]);
  certificate.remove();
});

describe("npm run doctor", () => {
  it("passes a correctly configured deployment, one ok line per check", async () => {
    const run = await doctor();
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const migrations = await listMigrations();
    const database = `127.0.0.1:5432${new URL(vars.DATABASE_URL).pathname}`;
    expect(run.lines).toEqual([
      `Leadline doctor: checking the deployment at ${deployment.url}`,
      "",
      "ok       environment  every variable is set and well formed for production",
      `ok       database     ${database} answers, and all ${migrations.length} migrations are applied (the last ${migrations.at(-1)!.file})`,
      `ok       airtable     base ${vars.AIRTABLE_BASE_ID} has "Client Configuration" and "Lead Pipeline" with every field Leadline needs`,
      expect.stringMatching(/^ok {7}airtable {5}webhooks live until \S+Z: changes arrive by ping, and the periodic sync runs hourly \(last \S+Z\)$/),
      `ok       deployment   ${deployment.url}/api/health answers 200: database ok (PostgreSQL), 0 pipeline jobs pending`,
      `ok       twilio       all 2 numbers on the account point at ${deployment.url}`,
      "",
      "No problems found.",
      "",
    ]);
  });

  it("finds a malformed variable, and says the server will not start", async () => {
    const run = await doctor({ TWILIO_ACCOUNT_SID: "AC123" });
    expect(run.exitCode).toBe(1);
    expect(run.lines).toContain(
      "PROBLEM  environment  TWILIO_ACCOUNT_SID must look like AC followed by 32 hex characters. The server will not start until it is fixed (.env.example describes each variable).",
    );
  });

  it("finds a missing cron secret and an http address", async () => {
    const run = await doctor({ CRON_SECRET: undefined, PUBLIC_BASE_URL: deployment.url.replace("https:", "http:") });
    expect(run.exitCode).toBe(1);
    expect(run.lines).toContain(
      "PROBLEM  environment  CRON_SECRET is not set, so every /api/cron/* route answers 503 and no scheduled job runs. Set it to a long random string (openssl rand -hex 32), here and in your scheduler.",
    );
    expect(run.lines).toContain(
      `PROBLEM  environment  PUBLIC_BASE_URL is ${deployment.url.replace("https:", "http:")}: it must be the https origin Twilio calls and people open, e.g. https://leads.example.com.`,
    );
  });

  it("finds a database missing a migration", async () => {
    const db = await getDatabase();
    const last = (await listMigrations()).at(-1)!;
    const [record] = await db.query<{ version: string; statements: string[]; name: string }>("select * from supabase_migrations.schema_migrations where version = $1", [last.version]);
    await db.query("delete from supabase_migrations.schema_migrations where version = $1", [last.version]);
    try {
      const run = await doctor();
      expect(run.exitCode).toBe(1);
      expect(run.lines).toContain(
        `PROBLEM  database     127.0.0.1:5432${new URL(vars.DATABASE_URL).pathname} lacks a migration: ${last.file}. Run npm run db:migrate with this DATABASE_URL (or supabase db push).`,
      );
    } finally {
      await db.query("insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)", [record.version, record.statements, record.name]);
    }
  });

  it("finds a database it cannot reach", async () => {
    const port = await closedLocalPort();
    const run = await doctor({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/leadline` });
    expect(run.exitCode).toBe(1);
    expect(run.lines).toContain(
      `PROBLEM  database     Nothing accepts connections at 127.0.0.1:${port}/leadline. Check DATABASE_URL (on Supabase: Project Settings, Database, the pooled connection string).`,
    );
  });

  it("finds an Airtable table missing a field", async () => {
    const fields = baseSchema({ configTable: CONFIG_TABLE, leadsTable: LEAD_PIPELINE_TABLE })[0].fields;
    const rows = airtable.rows(CONFIG_TABLE);
    airtable.defineTable(CONFIG_TABLE, fields.filter((field) => field.name !== C.ringTimeout));
    try {
      const run = await doctor();
      expect(run.exitCode).toBe(1);
      expect(run.lines).toContain('PROBLEM  airtable     "Client Configuration" has no "Ring Timeout" field (a number field). Run npm run airtable:setup to add it.');
    } finally {
      airtable.defineTable(CONFIG_TABLE, fields);
      for (const row of rows) airtable.addRow(CONFIG_TABLE, row.fields);
    }
  });

  it("finds a wrong Airtable token", async () => {
    const run = await doctor({ AIRTABLE_TOKEN: "patWrongToken.0000" });
    expect(run.exitCode).toBe(1);
    expect(run.lines).toContainEqual(expect.stringMatching(/^PROBLEM {2}airtable {5}Airtable refused the token in AIRTABLE_TOKEN\. Create a personal access token at https:\/\/airtable\.com\/create\/tokens/));
  });

  it("finds a Twilio number pointing elsewhere", async () => {
    const stray = "+15125550199";
    twilio.own(stray, { ...numberWebhookUrls(deployment.url), voiceUrl: "https://old-host.example/voice", smsUrl: "https://old-host.example/sms" });
    try {
      const run = await doctor();
      expect(run.exitCode).toBe(1);
      expect(run.lines).toContain(
        `PROBLEM  twilio       ${stray} does not send voiceUrl, smsUrl to ${deployment.url} (found https://old-host.example/voice, https://old-host.example/sms), so its calls or texts miss Leadline. ` +
          "npm run numbers:list shows each field and the value it needs; set them in the Twilio console (Phone Numbers, Manage, Active numbers).",
      );
    } finally {
      twilio.reset();
      for (const number of TRACKING_NUMBERS) twilio.own(number, numberWebhookUrls(deployment.url));
    }
  });

  it("finds a PUBLIC_BASE_URL where nothing answers", async () => {
    const elsewhere = `https://127.0.0.1:${await closedLocalPort()}`;
    const run = await doctor({ PUBLIC_BASE_URL: elsewhere });
    expect(run.exitCode).toBe(1);
    expect(run.lines).toContain(`PROBLEM  deployment   Nothing answers at ${elsewhere}/api/health (ECONNREFUSED). Deploy it, or fix PUBLIC_BASE_URL: Twilio calls this address.`);
  });
});
