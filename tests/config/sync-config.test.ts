import { beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/sync-config/route";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { lookupTrackingNumber } from "@/lib/config/lookup-tracking-number";
import { UNROUTED_MESSAGE } from "@/lib/calls/answer-inbound-call";
import { syncConfigTable } from "@/lib/config/sync-config-table";
import { serverEnv } from "@/lib/env";
import { getDatabase } from "@/lib/db/get-database";
import { takePaceSlot } from "@/lib/airtable/airtable-pace";
import { checkConfigRows } from "@/lib/config/check-config-rows";
import { readTrackingNumberSnapshot } from "@/lib/config/tracking-number-snapshot";
import { POST as askForNumber } from "@/app/api/track/session/route";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";
import { placeCall } from "../support/simulated-contacts";
import type { FieldSpec } from "../support/stand-ins/airtable/model";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";

const { airtable } = useRemoteServices();

const checkbox = (name: string): FieldSpec => ({ name, type: "checkbox", options: { icon: "check", color: "greenBright" } });
const seconds = (name: string): FieldSpec => ({ name, type: "number", options: { precision: 0 } });
const CONFIG_TABLE_FIELDS: FieldSpec[] = [
  F.trackingNumber, F.clientId, F.clientName, F.primaryNumber, F.smsForwardNumber,
  checkbox(F.textBackEnabled), { name: F.textBackMessage, type: "multilineText" }, F.source,
  { name: F.numberType, type: "singleSelect", options: { choices: [{ name: "Source" }, { name: "Pool" }] } },
  seconds(F.ringTimeout), seconds(F.missedCallMaxSeconds), checkbox(F.active), checkbox(F.voicemailOff),
  checkbox(F.showTrackingNumber), F.pipelineBaseId,
  F.websiteDomains, { name: F.websiteNumbers, type: "multilineText" }, F.swapRule, { name: F.fallbackNumber, type: "phoneNumber" },
];

const row = (number: string, fields: Record<string, unknown> = {}) =>
  airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: number, [F.clientId]: "sync-client", [F.clientName]: "Sync Co", [F.primaryNumber]: "+12145550100", [F.active]: true, ...fields });

const handTyped = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const sync = async () => syncConfigTable(await getDatabase(), serverEnv().airtable!);

/** Staff deleting or editing a row through the API, on the base's shared pace like every request. */
async function changeRow(recordId: string, method: "DELETE" | "PATCH", fields?: Record<string, unknown>): Promise<void> {
  const { AIRTABLE_API_URL, AIRTABLE_BASE_ID, AIRTABLE_TOKEN } = process.env;
  const { waitMs } = await takePaceSlot(await getDatabase(), AIRTABLE_BASE_ID!);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  const response = await fetch(`${AIRTABLE_API_URL}/v0/${AIRTABLE_BASE_ID}/${encodeURIComponent(CONFIG_TABLE)}/${recordId}`, {
    method,
    headers: { authorization: `Bearer ${AIRTABLE_TOKEN}`, "content-type": "application/json" },
    body: fields && JSON.stringify({ fields }),
  });
  expect(response.status).toBe(200);
}
const deleteRow = (recordId: string) => changeRow(recordId, "DELETE");
const editRow = (recordId: string, fields: Record<string, unknown>) => changeRow(recordId, "PATCH", fields);

beforeEach(() => {
  airtable.defineTable(CONFIG_TABLE, CONFIG_TABLE_FIELDS);
});

describe("syncing the Client Configuration table", () => {
  it("copies every row of every page, hand-typed numbers normalised, and they route", async () => {
    for (let n = 0; n < 149; n += 1) row(`+1512555${String(2000 + n)}`);
    row("(737) 555-0134", { [F.primaryNumber]: "737.555.0199", [F.ringTimeout]: 25 });
    const report = await sync();

    expect(report).toMatchObject({ rows: 150, synced: 150, skipped: [] });
    expect(await lookupTrackingNumber("+17375550134")).toMatchObject({ primaryNumber: "+17375550199", ringTimeoutSeconds: 25, clientName: "Sync Co" });
    expect(await lookupTrackingNumber("+15125552148")).toMatchObject({ clientId: "sync-client" });
    expect(airtable.requests.filter((request) => request.method === "GET").length).toBe(2);
  });

  it("reports a malformed row by name and skips it, syncing the rest", async () => {
    row("+15125553001");
    const bad = row("+15125553002", { [F.clientName]: "Broken Bakery", [F.primaryNumber]: "call Bob" });
    const report = await sync();

    expect(report.synced).toBe(1);
    expect(report.skipped).toEqual([
      { recordId: bad.id, row: "Broken Bakery (+15125553002)", error: 'Primary Number "call Bob" is not a phone number', routing: "not routed until the row is fixed" },
    ]);
    expect(await lookupTrackingNumber("+15125553001")).toBeDefined();
    expect(await lookupTrackingNumber("+15125553002")).toBeUndefined();
  });

  it.each([
    ["a Primary Number that is not a number", { [F.primaryNumber]: "call me" }, 'Primary Number "call me" is not a phone number'],
    ["a Ring Timeout too short to ring", { [F.ringTimeout]: 2 }, "Ring Timeout must be at least 5 seconds"],
    ["a Tracking Number typed over", { [F.trackingNumber]: "not set yet" }, 'Tracking Number "not set yet" is not a phone number'],
  ])("keeps routing a number with its last good config after its row gets %s, and says so", async (_, edit, error) => {
    const number = phoneNumber("512");
    const good = row(number, { [F.clientName]: "Steady Co", [F.primaryNumber]: "+12145550177", [F.ringTimeout]: 25 });
    await sync();

    await editRow(good.id, edit);
    const report = await sync();

    expect(report.skipped).toEqual([
      { recordId: good.id, row: expect.stringContaining("Steady Co"), error, routing: `the last good config keeps routing ${number}` },
    ]);
    expect(report.stoppedRouting).not.toContain(number);
    expect(await lookupTrackingNumber(number)).toMatchObject({ primaryNumber: "+12145550177", ringTimeoutSeconds: 25 });
    const twiml = await placeCall(number, phoneNumber(), "answered");
    expect(twiml).toContain('timeout="25"');
    expect(twiml).toContain(">+12145550177</Number>");
  });

  it("stops routing a malformed row's number once the row is unticked or deleted", async () => {
    const [unticked, deleted] = [phoneNumber("512"), phoneNumber("512")];
    const rows = [row(unticked), row(deleted)];
    await sync();
    for (const { id } of rows) await editRow(id, { [F.primaryNumber]: "call me" });
    await sync();
    expect(await lookupTrackingNumber(unticked)).toBeDefined();

    await editRow(rows[0].id, { [F.active]: false });
    await deleteRow(rows[1].id);
    const report = await sync();

    expect(report.stoppedRouting).toEqual(expect.arrayContaining([unticked, deleted]));
    expect(report.skipped).toEqual([expect.objectContaining({ recordId: rows[0].id, routing: "not routed: the row is unticked" })]);
    const db = await getDatabase();
    expect(await db.query("select active from public.tracking_numbers where phone_number = any($1)", [[unticked, deleted]])).toEqual([{ active: false }, { active: false }]);
    expect(await placeCall(deleted, phoneNumber(), "answered")).toContain(UNROUTED_MESSAGE);
  });

  it("refuses a row that would forward to a tracking number, and reports why", async () => {
    const [first, second, own, texts] = [phoneNumber("512"), phoneNumber("512"), phoneNumber("512"), phoneNumber("512")];
    const elsewhere = await addTrackingNumber();
    row(first);
    const toOtherRow = row(second, { [F.clientName]: "Loop Co", [F.primaryNumber]: handTyped(first) });
    const toItself = row(own, { [F.smsForwardNumber]: own });
    const toSnapshot = row(texts, { [F.primaryNumber]: elsewhere.trackingNumber });
    const report = await sync();

    expect(report.synced).toBe(1);
    expect(report.skipped).toEqual([
      {
        recordId: toOtherRow.id,
        row: `Loop Co (${second})`,
        error: `Primary Number ${first} is a tracking number, so calls would be forwarded back to Leadline in a loop`,
        routing: "not routed until the row is fixed",
      },
      expect.objectContaining({ recordId: toItself.id, error: `SMS Forward Number ${own} is this row's own tracking number, so texts would be relayed back to Leadline in a loop` }),
      expect.objectContaining({ recordId: toSnapshot.id, error: expect.stringContaining(`Primary Number ${elsewhere.trackingNumber} is a tracking number`) }),
    ]);
    for (const number of [second, own, texts]) expect(await placeCall(number, phoneNumber(), "answered")).toContain(UNROUTED_MESSAGE);
    expect(await lookupTrackingNumber(first)).toMatchObject({ primaryNumber: "+12145550100" });
  });

  it("keeps the last good config of a row edited into a loop, but stops a kept config that loops itself", async () => {
    const [steady, target] = [phoneNumber("512"), phoneNumber("512")];
    const edited = row(steady, { [F.primaryNumber]: "+12145550188" });
    await sync();
    await editRow(edited.id, { [F.primaryNumber]: steady });
    expect((await sync()).skipped).toEqual([expect.objectContaining({ recordId: edited.id, routing: `the last good config keeps routing ${steady}` })]);
    expect(await lookupTrackingNumber(steady)).toMatchObject({ primaryNumber: "+12145550188" });

    // A loop saved before loops were refused: its snapshot config is no good config to keep.
    const looping = await addTrackingNumber({ trackingNumber: target, primaryNumber: target });
    row(target, { [F.primaryNumber]: target });
    const report = await sync();

    expect(report.stoppedRouting).toContain(looping.trackingNumber);
    expect(await placeCall(target, phoneNumber(), "answered")).toContain(UNROUTED_MESSAGE);
  });

  it("skips a second row for a number already configured", async () => {
    row("+15125553101");
    const duplicate = row("(512) 555-3101", { [F.clientName]: "Copy Cat" });
    expect((await sync()).skipped).toEqual([expect.objectContaining({ recordId: duplicate.id, error: "+15125553101 is already on another row" })]);
  });

  it("stops routing a number whose row was deleted or unticked, after the next sync", async () => {
    const kept = row("+15125553201");
    const deleted = row("+15125553202");
    row("+15125553203", { [F.active]: false });
    await sync();
    expect(await lookupTrackingNumber("+15125553202")).toBeDefined();

    await deleteRow(deleted.id);
    const report = await sync();

    expect(report.stoppedRouting).toEqual(expect.arrayContaining(["+15125553202"]));
    expect(report.stoppedRouting).not.toContain(kept.fields[F.trackingNumber]);
    expect(await lookupTrackingNumber("+15125553201")).toBeDefined();
    expect(await lookupTrackingNumber("+15125553202")).toBeUndefined();
    expect(await lookupTrackingNumber("+15125553203")).toBeUndefined();
    const db = await getDatabase();
    expect(await db.query("select active from public.tracking_numbers where phone_number = '+15125553203'")).toEqual([{ active: false }]);
  });

  it("routes every row of a base that has no Active column", async () => {
    airtable.defineTable(CONFIG_TABLE, CONFIG_TABLE_FIELDS.filter((field) => field !== CONFIG_TABLE_FIELDS[11]));
    airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: "+15125553301", [F.clientId]: "no-active", [F.primaryNumber]: "+12145550100" });
    expect(await sync()).toMatchObject({ synced: 1, skipped: [] });
    expect(await lookupTrackingNumber("+15125553301")).toMatchObject({ clientId: "no-active" });
  });

  it("still syncs the config when the pipeline cannot be pulled, and says why", async () => {
    vi.stubEnv("CRON_SECRET", "sync-secret");
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS.filter((field) => typeof field === "string" || field.name !== "Status Modified"));
    row("+15125553501");
    const response = await GET(new Request("http://10.0.0.7/api/cron/sync-config", { headers: { authorization: "Bearer sync-secret" } }));
    vi.unstubAllEnvs();
    expect(await response.json()).toMatchObject({ config: { synced: 1 }, statuses: { failed: [expect.stringContaining("npm run airtable:check")] } });
    expect(await lookupTrackingNumber("+15125553501")).toBeDefined();
  });

  it("runs from Vercel Cron with the bearer secret, pulling pipeline statuses too", async () => {
    vi.stubEnv("CRON_SECRET", "sync-secret");
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    row("+15125553401");
    const response = await GET(new Request("http://10.0.0.7/api/cron/sync-config", { headers: { authorization: "Bearer sync-secret" } }));
    vi.unstubAllEnvs();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ config: { rows: 1, synced: 1, skipped: [] }, statuses: { bases: 1, rows: 0 } });
  });
});

describe("the tracking script's fields", () => {
  /** A page of `origin` asking for the number of a visit, as track.js does. */
  const askFrom = (origin: string) =>
    askForNumber(
      new Request("https://leads.example.test/api/track/session", {
        method: "POST",
        headers: { origin, "content-type": "text/plain" },
        body: JSON.stringify({ client: "sync-client", visitor: "visitor-0123456789abcd", touch: { at: Date.now(), campaign: "Spring-Sale", landing: `${origin}/` }, page: `${origin}/` }),
      }),
    );

  it("are stored normalised, and a page asks by them from the next sync on", async () => {
    const number = phoneNumber("512");
    const edited = row(number, {
      [F.source]: "Spring",
      [F.numberType]: "Pool",
      [F.websiteDomains]: "https://www.AcmeTest.example/contact, shop.acme-two.example\nlocalhost:3000",
      [F.websiteNumbers]: "(214) 555-0100\n214.555.0101, +1 214 555 0102",
      [F.swapRule]: "utm_campaign=spring-sale and landing contains /",
      [F.fallbackNumber]: "(512) 555-0199",
    });
    expect(await sync()).toMatchObject({ synced: 1, skipped: [] });

    expect(await readTrackingNumberSnapshot(await getDatabase(), number)).toMatchObject({
      websiteDomains: ["www.acmetest.example", "shop.acme-two.example", "localhost"],
      websiteNumbers: ["+12145550100", "+12145550101", "+12145550102"],
      swapRule: "utm_campaign=spring-sale and landing contains /",
      fallbackNumber: "+15125550199",
    });
    const answer = await askFrom("https://www.acmetest.example");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ number, replace: ["+12145550100", "+12145550101", "+12145550102"], heartbeat: 60 });

    await editRow(edited.id, { [F.websiteDomains]: "acme-two.example" });
    await sync();
    expect((await askFrom("https://www.acmetest.example")).status).toBe(403);
    expect((await askFrom("https://shop.acme-two.example")).status).toBe(200);
  });

  it.each([
    [F.websiteDomains, "acme.example, *.acme.example", 'Website Domains "*.acme.example" is not a host name such as acmeplumbing.com'],
    [F.websiteNumbers, "512-555-0100\n512-555-01", 'Website Numbers "512-555-01" is not a phone number'],
    [F.swapRule, "campaign=spring", 'Swap Rule "campaign=spring" cannot be read: "campaign" is not a field a rule can test'],
    [F.fallbackNumber, "call Bob", 'Fallback Number "call Bob" is not a phone number'],
  ])("refuse a row whose %s cannot be read (%j), saying why", async (field, value, error) => {
    const bad = row(phoneNumber("512"), { [F.source]: "Google Ads", [field]: value });
    expect((await sync()).skipped).toEqual([{ recordId: bad.id, row: expect.any(String), error: expect.stringContaining(error), routing: "not routed until the row is fixed" }]);
  });

  it("refuse a Swap Rule without a Source, whose visits would count under nothing", async () => {
    const bad = row(phoneNumber("512"), { [F.swapRule]: "utm_campaign=spring" });
    expect((await sync()).skipped).toEqual([expect.objectContaining({ recordId: bad.id, error: "Swap Rule needs a Source: the visits it matches count under that source" })]);
  });

  it("are checked by airtable:check, which names a row with a malformed Swap Rule", async () => {
    const number = phoneNumber("512");
    const bad = row(number, { [F.clientName]: "Rule Co", [F.source]: "Spring", [F.swapRule]: "utm_campaign is spring" });
    row(phoneNumber("512"), { [F.source]: "Spring", [F.swapRule]: "utm_campaign=spring" });
    expect(await checkConfigRows(serverEnv().airtable!)).toEqual([
      `Row ${bad.id} (Rule Co, ${number}): Swap Rule "utm_campaign is spring" cannot be read: "utm_campaign is spring" is not <field>=<value> or <field> contains <text>.`,
    ]);
  });
});
