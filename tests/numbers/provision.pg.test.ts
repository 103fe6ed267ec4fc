// `npm run numbers:provision` end to end, run as a developer runs it, against the Twilio and
// Airtable stand-ins on local ports and the shared pace in PostgreSQL.
import { describe, expect, it } from "vitest";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { numberWebhookUrls } from "@/lib/numbers/number-webhook-urls";
import { runScript } from "../support/run-command";
import { ACME_ROW, CONFIG_TABLE, CONFIG_TABLE_FIELDS, paceSlotsTaken, PUBLIC_BASE_URL, useNumbersStandIns } from "./numbers-command-setup";

const { twilio, airtable, commandEnv, failAirtableWrites } = useNumbersStandIns();
const provision = (args: string[], env = commandEnv()) => runScript("numbers-provision", args, { env });
const OFFERED = ["+15125550201", "+15125550202", "+15125550203", "+15125550204", "+15125550205"];
const POOL_OF_3 = ["--client", "acme", "--area-code", "512", "--source", "Google Ads", "--pool", "3"];
const addedRows = () => airtable.rows(CONFIG_TABLE).filter((row) => row.fields[F.trackingNumber] !== ACME_ROW[F.trackingNumber]);
const accountNumbers = () => twilio.numbers().map((number) => number.phoneNumber);
const purchases = () => twilio.requests.filter((request) => request.operation === "purchase");

describe("npm run numbers:provision", () => {
  it("buys a pool, points each number at PUBLIC_BASE_URL and adds its row with the client's settings, on the shared pace", async () => {
    const acme = airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED, "+17375550299");
    const slotsBefore = await paceSlotsTaken();

    const run = await provision(POOL_OF_3);

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const bought = OFFERED.slice(0, 3);
    expect(twilio.numbers().map((number) => ({ phoneNumber: number.phoneNumber, webhooks: number.webhooks }))).toEqual(
      bought.map((phoneNumber) => ({ phoneNumber, webhooks: numberWebhookUrls(PUBLIC_BASE_URL) })),
    );
    // The URLs went with the purchase: no number needed an update.
    expect(twilio.requests.filter((request) => request.operation === "update")).toEqual([]);
    const added = addedRows();
    // Everything the client's row says but its number, source and type.
    expect(added.map((row) => row.fields)).toEqual(
      bought.map((trackingNumber) => ({ ...ACME_ROW, [F.trackingNumber]: trackingNumber, [F.source]: "Google Ads", [F.numberType]: "Pool" })),
    );
    // Reading the rows and adding the new ones each took a slot on the shared pace.
    expect(await paceSlotsTaken()).toBeGreaterThanOrEqual(slotsBefore + 2);
    expect(run.stdout).toContain("Bought 3 numbers in area code 512 for acme (Acme Plumbing), Google Ads, Pool:");
    for (const row of added) expect(run.stdout).toContain(`${row.fields[F.trackingNumber]}  row ${row.id}`);
    expect(run.stdout).toContain(`copied from row ${acme.id}`);
  });

  it("--dry-run prints the numbers it found and the rows it would add, and buys nothing, writes nothing, takes no pace slot", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);
    const slotsBefore = await paceSlotsTaken();

    const run = await provision([...POOL_OF_3, "--dry-run"]);

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(purchases()).toEqual([]);
    expect(accountNumbers()).toEqual([]);
    expect(addedRows()).toEqual([]);
    expect(airtable.requests.filter((request) => request.method !== "GET")).toEqual([]);
    expect(await paceSlotsTaken()).toBe(slotsBefore);
    expect(run.stdout).toContain("Dry run: nothing was bought and nothing was written.");
    expect(run.stdout).toContain("Twilio offers 5 numbers in area code 512; it would buy +15125550201, +15125550202, +15125550203");
    expect(run.stdout).toContain(`It would add 3 rows to "${CONFIG_TABLE}" for acme (Acme Plumbing), Google Ads, Pool`);
    expect(run.stdout).toContain("Tracking Number: +15125550203; Client ID: acme; Client Name: Acme Plumbing; Primary Number: +12145550111;");
  });

  it("--dry-run needs no DATABASE_URL", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);

    const run = await provision([...POOL_OF_3, "--dry-run"], commandEnv({ withDatabase: false }));

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Twilio offers 5 numbers in area code 512; it would buy +15125550201, +15125550202, +15125550203");
    expect(purchases()).toEqual([]);
    expect(addedRows()).toEqual([]);
  });

  it("without DATABASE_URL says the pace needs it, and buys nothing", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);

    const run = await provision(POOL_OF_3, commandEnv({ withDatabase: false }));

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("npm run numbers:provision needs DATABASE_URL");
    expect(twilio.requests).toEqual([]);
  });

  it("releases every bought number when pointing one at us fails, and says which were bought and released", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);
    twilio.ignoreUrlsOnPurchase();
    twilio.fail("update", { nth: 2, status: 503, code: 20503, message: "Service Unavailable" });

    const run = await provision(POOL_OF_3);

    expect(run.exitCode).toBe(1);
    expect(purchases().map((request) => request.phoneNumber)).toEqual(["+15125550201", "+15125550202"]);
    expect(accountNumbers()).toEqual([]);
    expect(addedRows()).toEqual([]);
    expect(run.stdout).toContain(`Provisioning stopped: Pointing +15125550202 at ${PUBLIC_BASE_URL} failed: Twilio answered 503 (error 20503): Service Unavailable`);
    expect(run.stdout).toContain("Configured (bought, pointed at");
    expect(run.stdout).toContain("row added): none");
    expect(run.stdout).toContain("Bought and released again: +15125550201, +15125550202");
  });

  it("releases the numbers when Airtable refuses their rows, and the account keeps no unconfigured number", async () => {
    // A base whose Number Type was set up by hand without the Pool choice.
    airtable.defineTable(
      CONFIG_TABLE,
      CONFIG_TABLE_FIELDS.map((field) => (field.name === F.numberType ? { ...field, options: { choices: [{ name: "Source" }] } } : field)),
    );
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.own("+15125550100", numberWebhookUrls(PUBLIC_BASE_URL));
    twilio.offer(...OFFERED);

    const run = await provision(POOL_OF_3);

    expect(run.exitCode).toBe(1);
    expect(purchases()).toHaveLength(3);
    expect(accountNumbers()).toEqual(["+15125550100"]);
    expect(addedRows()).toEqual([]);
    expect(run.stdout).toContain("Provisioning stopped: Adding the rows of +15125550201, +15125550202, +15125550203 to Airtable failed: Airtable answered 422 INVALID_MULTIPLE_CHOICE_OPTIONS");
    expect(run.stdout).toContain("Bought and released again: +15125550201, +15125550202, +15125550203");
  });

  it("asks the table again when a write fails without a clear answer, and releases the numbers whose rows are not there", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);
    failAirtableWrites(503);

    const run = await provision(["--client", "acme", "--area-code", "512"]);

    expect(run.exitCode).toBe(1);
    expect(accountNumbers()).toEqual([]);
    expect(addedRows()).toEqual([]);
    expect(run.stdout).toContain("Adding the rows of +15125550201 to Airtable failed: Airtable answered 503");
    expect(run.stdout).toContain("Bought and released again: +15125550201");
    expect(run.stdout).not.toContain("Look in");
  });

  it("keeps the numbers whose rows Airtable added though its answer was an error", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);
    failAirtableWrites(503, { afterApplying: true });

    const run = await provision(["--client", "acme", "--area-code", "512", "--pool", "2"]);

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(accountNumbers()).toEqual(["+15125550201", "+15125550202"]);
    const added = addedRows();
    expect(added.map((row) => row.fields[F.trackingNumber])).toEqual(["+15125550201", "+15125550202"]);
    for (const row of added) expect(run.stdout).toContain(`${row.fields[F.trackingNumber]}  row ${row.id}`);
  });

  it("names the number to release by hand when its release fails too", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);
    failAirtableWrites(503);
    twilio.fail("release", { phoneNumber: "+15125550202", status: 500, message: "Internal Server Error" });

    const run = await provision(["--client", "acme", "--area-code", "512", "--pool", "2"]);

    expect(run.exitCode).toBe(1);
    expect(accountNumbers()).toEqual(["+15125550202"]);
    expect(run.stdout).toContain("Bought and released again: +15125550201");
    expect(run.stdout).toContain(
      "Release +15125550202 by hand in the Twilio console (Phone Numbers > Manage > Active numbers): its release failed (Twilio answered 500 (error 20500): Internal Server Error).",
    );
  });

  it("passes over a number sold meanwhile or already in the table, and finishes one whose purchase answer was lost", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    // A number released long ago, back on sale, whose old row was only unticked.
    const retired = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "+15125550203", [F.active]: false });
    twilio.offer(...OFFERED);
    twilio.fail("purchase", { phoneNumber: "+15125550201", status: 400, code: 21422, message: "Phone number is not available" });
    twilio.fail("purchase", { phoneNumber: "+15125550202", status: 502, message: "Bad Gateway", afterApplying: true });

    const run = await provision(["--client", "acme", "--area-code", "512", "--pool", "2"]);

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(twilio.numbers().map((number) => [number.phoneNumber, number.webhooks])).toEqual([
      ["+15125550202", numberWebhookUrls(PUBLIC_BASE_URL)],
      ["+15125550204", numberWebhookUrls(PUBLIC_BASE_URL)],
    ]);
    expect(addedRows().filter((row) => row.id !== retired.id).map((row) => row.fields[F.trackingNumber])).toEqual(["+15125550202", "+15125550204"]);
  });

  it("refuses a Client ID with no rows unless --name and --primary are given, naming the IDs the table has", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);

    const run = await provision(["--client", "bob-hvac", "--area-code", "512"]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('No row has Client ID "bob-hvac". For a new client give its name and number: --name "Acme Plumbing" --primary +15125550100');
    expect(run.stderr).toContain("Client IDs in the table: acme.");
    expect(run.stderr).toContain("Nothing was bought or written.");
    expect(purchases()).toEqual([]);
  });

  it("refuses a new client whose Primary Number is a tracking number, before buying", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);

    const run = await provision(["--client", "bob-hvac", "--area-code", "512", "--name", "Bob HVAC", "--primary", "(512) 555-0100"]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("The new rows would be refused: Primary Number +15125550100 is a tracking number, so calls would be forwarded back to Leadline in a loop");
    expect(purchases()).toEqual([]);
  });

  it("adds a new client's first row from --name and --primary", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer(...OFFERED);

    const run = await provision(["--client", "bob-hvac", "--area-code", "512", "--name", "Bob HVAC", "--primary", "(214) 555-0177", "--source", "Yelp"]);

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(addedRows().map((row) => row.fields)).toEqual([
      {
        [F.trackingNumber]: "+15125550201",
        [F.clientId]: "bob-hvac",
        [F.clientName]: "Bob HVAC",
        [F.primaryNumber]: "+12145550177",
        [F.source]: "Yelp",
        [F.numberType]: "Source",
        [F.active]: true,
      },
    ]);
  });

  it.each([
    [["--area-code", "512"], "--client is missing"],
    [["--client", "acme", "--area-code", "12"], "--area-code must be a US area code"],
    [["--client", "acme", "--area-code", "512", "--pool", "300"], "--pool must be at most 50"],
    [["--client", "acme", "--area-code", "512", "--primary", "call me"], '--primary "call me" is not a phone number'],
    [["--client", "acme", "--area-code", "512", "--colour", "red"], "Unknown option '--colour'"],
  ])("says plainly what is wrong with %j, and buys nothing", async (args, error) => {
    twilio.offer(...OFFERED);

    const run = await provision(args);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(error);
    expect(run.stderr).toContain("usage: npm run numbers:provision");
    expect(twilio.requests).toEqual([]);
  });

  it("says when the area code has too few numbers for sale, and buys nothing", async () => {
    airtable.addRow(CONFIG_TABLE, ACME_ROW);
    twilio.offer("+15125550201", "+17375550201");

    const run = await provision(POOL_OF_3);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Twilio has only 1 local number for calls and texts in area code 512 (3 wanted): try a nearby area code or --pool 1. Nothing was bought or written.");
    expect(purchases()).toEqual([]);
  });
});
