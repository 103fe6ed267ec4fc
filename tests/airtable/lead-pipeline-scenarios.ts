// The Lead Pipeline scenarios, written once and run against two Airtables: the stand-in on a local
// port (tests/airtable/lead-pipeline-scenarios.test.ts, in every `npm test`) and a real base
// (tests/live, `npm run test:live`). Passing against both is what holds the stand-in to the real
// service. Everything is observed over HTTP, as it would be against Airtable: rows are read through
// the API, requests are counted by a recording proxy in front of it, and every request a scenario
// makes itself takes a slot on the base's shared pace, so the scenarios never trip the rate limit
// they measure. Only rows this run created are looked at and, at the end, deleted.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airtableBase, type AirtableRecordLike, type AirtableSettings } from "@/lib/airtable/airtable-base";
import { checkBase } from "@/lib/airtable/check-base";
import { listAllRecords } from "@/lib/airtable/list-all-records";
import { AirtableMetaError, airtableAdminRequest, listTables } from "@/lib/airtable/meta-api";
import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import { setUpBase } from "@/lib/airtable/set-up-base";
import { UNROUTED_MESSAGE } from "@/lib/calls/answer-inbound-call";
import { CONFIG_FIELDS as C } from "@/lib/airtable/config-fields";
import { syncConfigTable } from "@/lib/config/sync-config-table";
import type { Database } from "@/lib/db/database";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { pullPipelineStatuses } from "@/lib/leads/pull-pipeline-statuses";
import { takePaceSlot } from "@/lib/airtable/airtable-pace";
import { drainOutbox } from "@/lib/outbox/drain-outbox";
import { enqueueLeadSync } from "@/lib/outbox/enqueue-lead-sync";
import { listDeadJobs, MAX_ATTEMPTS, retryDeadJobs } from "@/lib/outbox/outbox-jobs";
import { startRecordingProxy, type RecordingProxy } from "../support/recording-proxy";
import { placeCall } from "../support/simulated-contacts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";

export type AirtableTarget = {
  /** Where the Airtable API answers: the stand-in on a local port, or https://api.airtable.com. */
  upstream: string;
  token: string;
  baseId: string;
  /** How long the base is refused after it trips the rate limit. */
  penaltyMs: number;
  /** What staff do by hand after `npm run airtable:setup`: add the "Status Modified" field. */
  addHandMadeFields(): Promise<void>;
  close?(): Promise<void>;
};

const RUN = `scenario-${randomBytes(3).toString("hex")}`;
const ENV_KEYS = ["AIRTABLE_TOKEN", "AIRTABLE_BASE_ID", "AIRTABLE_API_URL"] as const;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const handTyped = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
type AirtableFailure = { statusCode?: number; error?: string; message?: string };

export function describeLeadPipelineScenarios(connect: () => Promise<AirtableTarget>, timeoutMs: number): void {
  let target: AirtableTarget;
  let proxy: RecordingProxy;
  let settings: AirtableSettings;
  let db: Database;
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));

  beforeAll(async () => {
    target = await connect();
    proxy = await startRecordingProxy(target.upstream);
    Object.assign(process.env, { AIRTABLE_TOKEN: target.token, AIRTABLE_BASE_ID: target.baseId, AIRTABLE_API_URL: proxy.url });
    settings = serverEnv().airtable!;
    db = await getDatabase();
    await setUpBase(settings);
    await target.addHandMadeFields();
    const problems = await checkBase(settings);
    if (problems.length > 0) throw new Error(`the base is not ready:\n- ${problems.join("\n- ")}`);
  }, timeoutMs);

  afterAll(async () => {
    if (settings) {
      await deleteRows(settings.leadsTable, (await ownRows(settings.leadsTable, F.leadKey)).map((row) => row.id));
      await deleteRows(settings.configTable, (await ownRows(settings.configTable, C.clientId)).map((row) => row.id));
    }
    await proxy?.close();
    await target?.close?.();
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  }, timeoutMs);

  /** Waits for this run's next request slot on the base's shared pace. */
  async function paced(): Promise<void> {
    const { waitMs } = await takePaceSlot(db, settings.baseId);
    if (waitMs > 0) await sleep(waitMs);
  }
  const table = (name: string) => airtableBase(settings, 15_000)(name);

  /** This run's rows of a table, read through the API: those whose `keyField` starts with the run's prefix. */
  async function ownRows(tableName: string, keyField: string): Promise<AirtableRecordLike[]> {
    const rows = await listAllRecords(db, settings.baseId, table(tableName));
    return rows.filter((row) => String(row.fields[keyField] ?? "").startsWith(RUN));
  }
  const pipelineRows = async (leadKey: string) => (await ownRows(settings.leadsTable, F.leadKey)).filter((row) => row.fields[F.leadKey] === leadKey);

  /** Staff typing rows into Airtable. */
  async function addRows(tableName: string, rows: Record<string, unknown>[]): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < rows.length; start += 10) {
      await paced();
      const created = await table(tableName).create(rows.slice(start, start + 10).map((fields) => ({ fields })) as never);
      ids.push(...(created as unknown as { id: string }[]).map((record) => record.id));
    }
    return ids;
  }
  async function deleteRows(tableName: string, ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += 10) {
      await paced();
      await table(tableName).destroy(ids.slice(start, start + 10));
    }
  }
  async function staffSets(recordId: string, fields: Record<string, unknown>): Promise<void> {
    await paced();
    await table(settings.leadsTable).update(recordId, fields as never);
  }

  async function drainUntilEmpty(): Promise<void> {
    const stopAt = Date.now() + timeoutMs;
    while (Date.now() < stopAt) {
      await drainOutbox({ maxMs: stopAt - Date.now() });
      const [{ pending }] = await db.query<{ pending: number }>("select count(*)::int as pending from internal.outbox where status = 'pending'");
      if (pending === 0) return;
      await sleep(250);
    }
    throw new Error("the outbox did not empty in time");
  }

  async function newClient(name: string) {
    return addTrackingNumber({ clientId: `${RUN}-${name}`, textBackEnabled: false, source: "Google Ads" });
  }
  async function statusOf(leadKey: string): Promise<string> {
    const [lead] = await db.query<{ status: string }>("select status from public.leads where lead_key = $1", [leadKey]);
    return lead.status;
  }
  /** A client moves the lead in the app, `secondsFromNow` from now, which queues its row for the pipeline. */
  async function appSetsStatus(leadKey: string, status: string, secondsFromNow = 0): Promise<void> {
    const [lead] = await db.query<{ id: string }>("update public.leads set status = $2 where lead_key = $1 returning id", [leadKey, status]);
    // The database dates a status change as it is written; the server's own role may date it otherwise.
    await db.query("update public.leads set status_changed_at = now() + $2 * interval '1 second' where id = $1", [lead.id, secondsFromNow]);
    await enqueueLeadSync(db, lead.id, `status:${leadKey}:${status}`);
  }

  describe("the Lead Pipeline", { timeout: timeoutMs }, () => {
    const LEADS = 30;
    const expected = new Map<string, { calls: number; missed: number }>();

    it("gets one row per lead with the right Calls and Missed Calls after a burst, 10 rows a request, under the pace", async () => {
      const clients = await Promise.all(["burst-a", "burst-b", "burst-c"].map(newClient));
      const burstStarted = Date.now();
      for (let lead = 0; lead < LEADS; lead++) {
        const client = clients[lead % clients.length];
        const caller = phoneNumber();
        const counts = { calls: 0, missed: 0 };
        for (let call = 0; call < (lead % 4 === 0 ? 2 : 1); call++) {
          const missed = (lead + call) % 3 === 0;
          await placeCall(client.trackingNumber, caller, missed ? "missed" : "answered");
          counts.calls += 1;
          counts.missed += missed ? 1 : 0;
        }
        expected.set(`${client.clientId}:${caller}`, counts);
      }
      await drainUntilEmpty();

      const writes = proxy.log.filter((request) => request.at >= burstStarted && request.method === "PATCH");
      expect(writes).toHaveLength(LEADS / 10);
      const rows = await ownRows(settings.leadsTable, F.leadKey);
      expect(rows).toHaveLength(LEADS);
      for (const row of rows) {
        const counts = expected.get(row.fields[F.leadKey] as string);
        expect(counts, `unexpected row ${row.fields[F.leadKey]}`).toBeDefined();
        expect({ calls: row.fields[F.calls], missed: row.fields[F.missedCalls] ?? 0 }).toEqual(counts);
      }
      expect(proxy.count429(settings.baseId, burstStarted)).toBe(0);
      expect(proxy.maxRequestsInAnyRollingSecond(settings.baseId, burstStarted)).toBeLessThanOrEqual(4);
    });

    it("never double-counts when the same jobs are delivered again", async () => {
      const deliveredBefore = await db.query<{ id: number }>("select id::int as id from internal.outbox where status = 'delivered'");
      await db.query("update internal.outbox set status = 'pending', run_after = now() where id = any($1::bigint[])", [deliveredBefore.map((job) => job.id)]);
      await drainUntilEmpty();

      const rows = await ownRows(settings.leadsTable, F.leadKey);
      expect(rows).toHaveLength(LEADS);
      for (const row of rows) expect(row.fields[F.calls]).toBe(expected.get(row.fields[F.leadKey] as string)?.calls);
    });

    it("fails a lead whose key is on two rows, keeps Airtable's error on the dead job, and delivers it on retry once fixed", async () => {
      const client = await newClient("twice");
      const caller = phoneNumber();
      const leadKey = `${client.clientId}:${caller}`;
      const [, copy] = await addRows(settings.leadsTable, [{ [F.leadKey]: leadKey }, { [F.leadKey]: leadKey }]);
      await placeCall(client.trackingNumber, caller, "missed");

      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        await db.query("update internal.outbox set run_after = now() where status = 'pending'");
        await drainOutbox({ maxMs: 30_000 });
      }
      const dead = await listDeadJobs(db);
      expect(dead.length).toBeGreaterThan(0);
      for (const job of dead) expect(job).toMatchObject({ lead_key: leadKey, attempts: MAX_ATTEMPTS, last_error: expect.stringMatching(/^422 /) });
      expect((await pipelineRows(leadKey)).every((row) => row.fields[F.calls] === undefined)).toBe(true);

      await deleteRows(settings.leadsTable, [copy]);
      expect(await retryDeadJobs(db)).toBe(dead.length);
      await drainUntilEmpty();
      expect(await pipelineRows(leadKey)).toEqual([expect.objectContaining({ fields: expect.objectContaining({ [F.calls]: 1, [F.missedCalls]: 1 }) })]);
    });

    it("takes Status both ways: the app's change after the next drain, staff's after the next pull, the later change winning", async () => {
      const client = await newClient("status");
      const [appChanges, staffChanges, appLater, staffLater] = [phoneNumber(), phoneNumber(), phoneNumber(), phoneNumber()];
      const key = (caller: string) => `${client.clientId}:${caller}`;
      for (const caller of [appChanges, staffChanges, appLater, staffLater]) await placeCall(client.trackingNumber, caller, "missed");
      await drainUntilEmpty();
      const rowOf = async (caller: string) => (await pipelineRows(key(caller)))[0];
      expect((await rowOf(appChanges)).fields[F.status]).toBeUndefined();

      await appSetsStatus(key(appChanges), "Qualified");
      await drainUntilEmpty();
      expect((await rowOf(appChanges)).fields[F.status]).toBe("Qualified");

      await staffSets((await rowOf(staffChanges)).id, { [F.status]: "Won" });
      // Staff first, then the app a minute later: the app's change is the newer one.
      await staffSets((await rowOf(appLater)).id, { [F.status]: "Contacted" });
      await appSetsStatus(key(appLater), "Lost", 60);
      // The app an hour ago, staff now: staff's change is the newer one.
      await appSetsStatus(key(staffLater), "Spam", -3600);
      await staffSets((await rowOf(staffLater)).id, { [F.status]: "Qualified" });

      await pullPipelineStatuses(db, settings);
      expect(await statusOf(key(staffChanges))).toBe("Won");
      expect(await statusOf(key(staffLater))).toBe("Qualified");
      expect(await statusOf(key(appLater))).toBe("Lost");

      await drainUntilEmpty();
      expect((await rowOf(appLater)).fields[F.status]).toBe("Lost");
      expect((await rowOf(staffChanges)).fields[F.status]).toBe("Won");
      expect((await rowOf(staffLater)).fields[F.status]).toBe("Qualified");
    });

    it("routes a hand-typed row on the very next call, reports a malformed row by name, stops routing a deleted row after the next sync", async () => {
      const [number, brokenNumber, primary] = [phoneNumber("512"), phoneNumber("512"), phoneNumber("214")];
      const row = (tracking: string, name: string, primaryNumber: string) => ({
        [C.trackingNumber]: tracking,
        [C.clientId]: `${RUN}-config`,
        [C.clientName]: name,
        [C.primaryNumber]: primaryNumber,
        [C.active]: true,
      });
      const [added] = await addRows(settings.configTable, [row(handTyped(number), `${RUN} Plumbing`, primary), row(brokenNumber, `${RUN} Broken Bakery`, "call Bob")]);

      expect(await placeCall(number, phoneNumber(), "answered")).toContain(`>${primary}</Number>`);

      const report = await syncConfigTable(db, settings);
      expect(report.skipped).toContainEqual(expect.objectContaining({ row: `${RUN} Broken Bakery (${brokenNumber})`, error: 'Primary Number "call Bob" is not a phone number' }));
      expect(await placeCall(brokenNumber, phoneNumber(), "answered")).toContain(UNROUTED_MESSAGE);

      await deleteRows(settings.configTable, [added]);
      expect(await placeCall(number, phoneNumber(), "answered")).toContain(`>${primary}</Number>`);
      const afterDelete = await syncConfigTable(db, settings);
      expect(afterDelete.stoppedRouting).toContain(number);
      expect(await placeCall(number, phoneNumber(), "answered")).toContain(UNROUTED_MESSAGE);
    });
  });

  describe("what the code relies on Airtable to answer", { timeout: timeoutMs }, () => {
    async function failure(request: () => Promise<unknown>): Promise<AirtableFailure> {
      await paced();
      try {
        await request();
      } catch (error) {
        return error as AirtableFailure;
      }
      throw new Error("expected Airtable to refuse the request");
    }
    const create = (fields: Record<string, unknown>[], typecast = false) => table(settings.leadsTable).create(fields.map((cells) => ({ fields: cells })) as never, { typecast });
    const lead = (n: number) => ({ [F.leadKey]: `${RUN}-contract-${n}` });

    it("refuses a wrong token (401), more than 10 records (422), unknown fields and wrongly typed values (422) unless typecast", async () => {
      await paced();
      const wrongToken = await fetch(`${proxy.url}/v0/${settings.baseId}/${encodeURIComponent(settings.leadsTable)}?maxRecords=1`, { headers: { authorization: "Bearer patWrongToken.0000" } });
      expect(wrongToken.status).toBe(401);

      expect(await failure(() => create(Array.from({ length: 11 }, (_, n) => lead(n))))).toMatchObject({ statusCode: 422, error: "INVALID_RECORDS" });
      expect(await failure(() => create([{ ...lead(0), "No Such Field": "x" }]))).toMatchObject({ statusCode: 422, error: "UNKNOWN_FIELD_NAME" });
      expect(await failure(() => create([{ ...lead(0), [F.calls]: "3" }]))).toMatchObject({ statusCode: 422, error: "INVALID_VALUE_FOR_COLUMN" });
      expect(await failure(() => create([{ ...lead(0), [F.lastContact]: "Nov 2, 2026 10:30" }]))).toMatchObject({ statusCode: 422, error: "INVALID_VALUE_FOR_COLUMN" });
      expect(await failure(() => create([{ ...lead(0), [F.status]: "Maybe" }]))).toMatchObject({ statusCode: 422, error: "INVALID_MULTIPLE_CHOICE_OPTIONS" });
      expect(await ownRows(settings.leadsTable, F.leadKey).then((rows) => rows.filter((row) => String(row.fields[F.leadKey]).includes("-contract-")))).toEqual([]);

      await paced();
      const [converted] = (await create([{ ...lead(0), [F.calls]: "3" }], true)) as unknown as { fields: Record<string, unknown> }[];
      expect(converted.fields[F.calls]).toBe(3);
    });

    it("pages through a listing with the offset it hands out", async () => {
      await addRows(settings.leadsTable, Array.from({ length: 11 }, (_, n) => lead(100 + n)));
      const pages: number[] = [];
      const ids = new Set<string>();
      await paced();
      await table(settings.leadsTable)
        .select({ pageSize: 5, maxRecords: 12, fields: [F.leadKey] })
        .eachPage(async (records, next) => {
          pages.push(records.length);
          for (const record of records) ids.add(record.id);
          await paced();
          next();
        });
      expect(pages).toEqual([5, 5, 2]);
      expect(ids.size).toBe(12);
    });

    it("refuses a Meta API field without the options its type needs, and creates nothing", async () => {
      const refused = await airtableAdminRequest(settings, `/meta/bases/${settings.baseId}/tables/${encodeURIComponent(settings.leadsTable)}/fields`, {
        name: `${RUN} Score`,
        type: "number",
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(AirtableMetaError);
      expect(refused).toMatchObject({ status: 422, type: "INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE" });
      const pipeline = (await listTables(settings)).find((candidate) => candidate.name === settings.leadsTable);
      expect(pipeline?.fields.map((field) => field.name)).not.toContain(`${RUN} Score`);
    });

    it("answers 429 past 5 requests in a second, keeps refusing for the penalty, then answers again", async () => {
      const list = () => fetch(`${proxy.url}/v0/${settings.baseId}/${encodeURIComponent(settings.leadsTable)}?maxRecords=1`, { headers: { authorization: `Bearer ${settings.token}` } });
      await paced();
      const burst = await Promise.all(Array.from({ length: 10 }, list));
      const tripped = Date.now();
      expect(burst.map((response) => response.status)).toContain(429);
      expect(burst.filter((response) => response.status === 200).length).toBeLessThanOrEqual(5);

      await sleep(1500);
      expect((await list()).status).toBe(429);
      await sleep(target.penaltyMs - (Date.now() - tripped) + 2000);
      expect((await list()).status).toBe(200);
    });
  });
}
