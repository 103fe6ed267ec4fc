// `npm run numbers:list` end to end, run as a developer runs it without DATABASE_URL (Airtable read
// a request a second), against the Twilio and Airtable stand-ins on local ports.
import { describe, expect, it } from "vitest";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { numberWebhookUrls } from "@/lib/numbers/number-webhook-urls";
import { runScript } from "../support/run-command";
import { ACME_ROW, CONFIG_TABLE, PUBLIC_BASE_URL, useNumbersStandIns } from "./numbers-command-setup";

const { twilio, airtable, commandEnv } = useNumbersStandIns();
const list = () => runScript("numbers-list", [], { env: commandEnv() });
const pointed = numberWebhookUrls(PUBLIC_BASE_URL);

describe("npm run numbers:list", () => {
  it("shows every number, page after page, with its client, source and type, and nothing to fix when all adds up", async () => {
    twilio.limitPageSize(2);
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    for (const [number, source, type] of [["+15125550201", "Google Ads", "Pool"], ["+15125550202", "Google Ads", "Pool"], ["+15125550203", "Yelp", "Source"]]) {
      airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: number, [F.source]: source, [F.numberType]: type });
      twilio.own(number, pointed);
    }
    twilio.own("+15125550100", pointed);

    const run = await list();

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split("\n").slice(0, 6)).toEqual([
      `4 numbers on the Twilio account, webhooks checked against ${PUBLIC_BASE_URL}:`,
      "Number        Client                Source      Type    Row",
      "+15125550100  acme (Acme Plumbing)  -           Source  active",
      "+15125550201  acme (Acme Plumbing)  Google Ads  Pool    active",
      "+15125550202  acme (Acme Plumbing)  Google Ads  Pool    active",
      "+15125550203  acme (Acme Plumbing)  Yelp        Source  active",
    ]);
    expect(run.stdout).toContain("Nothing to fix");
    expect(twilio.requests.filter((request) => request.operation === "list").length).toBeGreaterThanOrEqual(2);
  });

  it("flags webhooks that point elsewhere (which fields), numbers with no row, and ticked rows whose number is not on the account", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.own("+15125550100", { ...pointed, voiceUrl: "https://old-agency.example/voice", smsMethod: "GET", statusCallback: "" });
    twilio.own("+15125550301", pointed);
    const gone = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "+15125550399", [F.source]: "Bing Ads" });
    const released = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "+15125550398", [F.active]: false });
    const refused = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "+15125550302", [F.primaryNumber]: "not a number" });
    twilio.own("+15125550302", pointed);

    const run = await list();

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("+15125550301  -                     -       -       no row");
    expect(run.stdout).toContain("+15125550302  -                     -       -       refused");
    expect(run.stdout).toContain(`Unticked rows of numbers no longer on the account (released): +15125550398 (acme, row ${released.id})`);
    const problems = run.stdout.slice(run.stdout.indexOf("Needs attention:")).split("\n").slice(1);
    expect(problems).toEqual([
      `- +15125550100 does not point at ${PUBLIC_BASE_URL}: voiceUrl is "https://old-agency.example/voice" (should be "${pointed.voiceUrl}"); statusCallback is empty (should be "${pointed.statusCallback}"); smsMethod is "GET" (should be "POST").`,
      `- +15125550301 is on the Twilio account but has no row in "${CONFIG_TABLE}": its calls and texts are not routed. Add its row, or release it with npm run numbers:release -- +15125550301.`,
      `- Row ${refused.id} (Acme Plumbing, +15125550302): Primary Number "not a number" is not a phone number.`,
      `- Row ${gone.id} (acme, +15125550399) is for a number not on the Twilio account: nothing reaches it. Untick or delete the row, or check TWILIO_ACCOUNT_SID.`,
      "",
    ]);
  });

  it("says which variable is missing", async () => {
    const { PUBLIC_BASE_URL: _, ...withoutBaseUrl } = commandEnv();
    const run = await runScript("numbers-list", [], { env: withoutBaseUrl });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("npm run numbers:list needs PUBLIC_BASE_URL");
    expect(twilio.requests).toEqual([]);
  });
});
