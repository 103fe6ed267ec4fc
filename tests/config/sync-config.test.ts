import { beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/sync-config/route";
import { CONFIG_FIELDS as F } from "@/lib/config/airtable-config-row";
import { lookupTrackingNumber } from "@/lib/config/lookup-tracking-number";
import { syncConfigTable } from "@/lib/config/sync-config-table";
import { serverEnv } from "@/lib/env";
import { getDatabase } from "@/lib/db/get-database";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";
import type { FieldSpec } from "../support/stand-ins/airtable/model";

const { airtable } = useRemoteServices();

const checkbox = (name: string): FieldSpec => ({ name, type: "checkbox", options: { icon: "check", color: "greenBright" } });
const seconds = (name: string): FieldSpec => ({ name, type: "number", options: { precision: 0 } });
const CONFIG_TABLE_FIELDS: FieldSpec[] = [
  F.trackingNumber, F.clientId, F.clientName, F.primaryNumber, F.smsForwardNumber,
  checkbox(F.textBackEnabled), { name: F.textBackMessage, type: "multilineText" }, F.source,
  { name: F.numberType, type: "singleSelect", options: { choices: [{ name: "Source" }, { name: "Pool" }] } },
  seconds(F.ringTimeout), seconds(F.missedCallMaxSeconds), checkbox(F.active), checkbox(F.voicemailOff),
  checkbox(F.showTrackingNumber), F.pipelineBaseId,
];

const row = (number: string, fields: Record<string, unknown> = {}) =>
  airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: number, [F.clientId]: "sync-client", [F.clientName]: "Sync Co", [F.primaryNumber]: "+12145550100", [F.active]: true, ...fields });

const sync = async () => syncConfigTable(await getDatabase(), serverEnv().airtable!);

async function deleteRow(recordId: string): Promise<void> {
  const { AIRTABLE_API_URL, AIRTABLE_BASE_ID, AIRTABLE_TOKEN } = process.env;
  const response = await fetch(`${AIRTABLE_API_URL}/v0/${AIRTABLE_BASE_ID}/${encodeURIComponent(CONFIG_TABLE)}/${recordId}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${AIRTABLE_TOKEN}` },
  });
  expect(response.status).toBe(200);
}

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
      { recordId: bad.id, row: "Broken Bakery (+15125553002)", error: 'Primary Number "call Bob" is not a phone number' },
    ]);
    expect(await lookupTrackingNumber("+15125553001")).toBeDefined();
    expect(await lookupTrackingNumber("+15125553002")).toBeUndefined();
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
    expect(await response.json()).toMatchObject({ config: { synced: 1 }, statuses: { failed: expect.stringContaining("npm run airtable:check") } });
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
