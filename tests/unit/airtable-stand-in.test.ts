// The Airtable stand-in behaves like the real service on every point Leadline relies on. Driven
// through msw with the real airtable package wherever airtable.js can make the call, plain fetch
// where it cannot (raw bodies, requests airtable.js would never send).
import Airtable from "airtable";
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { airtableApiStandIn, type FieldSpec } from "../support/stand-ins/airtable-api";

const env = process.env as Record<string, string>;
const TOKEN = env.AIRTABLE_TOKEN;
const BASE_ID = env.AIRTABLE_BASE_ID;
const API = env.AIRTABLE_API_URL;
const OTHER_BASE = "appOtherBase00001";
const PENALTY_MS = 1500;

const standIn = airtableApiStandIn({ token: TOKEN, baseId: BASE_ID, penaltyMs: PENALTY_MS });
const server = setupServer(http.all(`${API}/*`, ({ request }) => standIn.handle(request)));
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => standIn.reset());
afterAll(() => server.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function airtable(options: { apiKey?: string; baseId?: string } = {}) {
  return new Airtable({ apiKey: options.apiKey ?? TOKEN, endpointUrl: API, noRetryIfRateLimited: true, requestTimeout: 5000 }).base(options.baseId ?? BASE_ID);
}
/** airtable.js prefixes every path with /v0/{baseId}, so the Meta API is reached through a base id of "meta/bases/{id}". */
const meta = (baseId = BASE_ID) => airtable({ baseId: `meta/bases/${baseId}` });

type AirtableFailure = { error: string; message: string; statusCode: number };
async function rejection(promise: Promise<unknown>): Promise<AirtableFailure> {
  try {
    await promise;
  } catch (error) {
    return error as AirtableFailure;
  }
  throw new Error("expected the request to fail");
}

async function call(method: string, path: string, options: { body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TOKEN}`;
  const response = await fetch(`${API}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const PIPELINE = "Lead Pipeline";
const PIPELINE_FIELDS: FieldSpec[] = [
  "Lead Key",
  { name: "Caller", type: "phoneNumber" },
  { name: "Calls", type: "number", options: { precision: 0 } },
  { name: "Spam?", type: "checkbox", options: { icon: "check", color: "redBright" } },
  { name: "Last Contact", type: "dateTime", options: { dateFormat: { name: "iso" }, timeFormat: { name: "24hour" }, timeZone: "utc" } },
  { name: "Status", type: "singleSelect", options: { choices: [{ name: "New" }, { name: "Contacted" }, { name: "Won" }] } },
  { name: "Last Message", type: "multilineText" },
  { name: "Status Changed", type: "lastModifiedTime", options: { referencedFieldIds: ["Status"] } },
];
const pipeline = (baseId = BASE_ID) => airtable({ baseId })(PIPELINE);

describe("bearer auth and unknown bases", () => {
  it("answers only the bearer token: a wrong token, no header or the retired ?api_key= are 401", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    expect(await rejection(airtable({ apiKey: "patWrong.0000" })(PIPELINE).select().firstPage())).toMatchObject({ statusCode: 401, error: "AUTHENTICATION_REQUIRED" });
    expect((await call("GET", `/v0/${BASE_ID}/${encodeURIComponent(PIPELINE)}`, { token: null })).status).toBe(401);
    expect((await call("GET", `/v0/${BASE_ID}/${encodeURIComponent(PIPELINE)}?api_key=${TOKEN}`, { token: null })).status).toBe(401);
    expect(await pipeline().select().firstPage()).toEqual([]);
  });

  it("refuses a base it does not know and a table not in the base with 403, a malformed base id with 404", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    expect(await rejection(pipeline("appNoSuchBase0001").select().firstPage())).toMatchObject({ statusCode: 403, error: "NOT_AUTHORIZED" });
    expect(await call("GET", `/v0/appNoSuchBase0001/${encodeURIComponent(PIPELINE)}`)).toMatchObject({
      status: 403,
      body: { error: { type: "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND" } },
    });
    expect(await rejection(airtable()("No Such Table").select().firstPage())).toMatchObject({ statusCode: 403 });
    expect((await call("GET", `/v0/not-a-base/${encodeURIComponent(PIPELINE)}`)).status).toBe(404);
  });

  it("keeps several bases apart: each has its own tables", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const other = standIn.base(OTHER_BASE);
    other.defineTable(PIPELINE, ["Lead Key", { name: "Calls", type: "number" }]);

    const [created] = await pipeline(OTHER_BASE).create([{ fields: { "Lead Key": "acme:+15125550100", Calls: 2 } }]);

    expect(other.rows(PIPELINE)).toEqual([expect.objectContaining({ id: created.id, fields: { "Lead Key": "acme:+15125550100", Calls: 2 } })]);
    expect(standIn.rows(PIPELINE)).toEqual([]);
    expect(other.requests).toHaveLength(1);
    expect(standIn.requests).toHaveLength(0);
  });
});

describe("5 requests per rolling second per base, then 429 and a penalty", () => {
  it("refuses the 6th request within a second, keeps refusing for the whole penalty, then recovers", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const burst = await Promise.allSettled(Array.from({ length: 6 }, () => pipeline().select({ maxRecords: 1 }).firstPage()));
    const refused = burst.filter((outcome) => outcome.status === "rejected");
    expect(burst.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(5);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ statusCode: 429, error: "TOO_MANY_REQUESTS" });
    const tripped = Date.now();

    await sleep(1000);
    // A second later the rolling window is empty again, but the base is still paying its penalty.
    expect(await call("GET", `/v0/${BASE_ID}/${encodeURIComponent(PIPELINE)}`)).toEqual({
      status: 429,
      body: { errors: [{ error: "RATE_LIMIT_REACHED", message: expect.any(String) }] },
    });

    await sleep(PENALTY_MS - (Date.now() - tripped) + 100);
    expect(await pipeline().select({ maxRecords: 1 }).firstPage()).toEqual([]);
    expect(standIn.count429()).toBe(2);
    expect(standIn.maxRequestsInAnyRollingSecond()).toBe(6);
    // The log is in arrival order: the sixth arrival was the one refused.
    expect(standIn.requests.map((request) => request.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 200]);
  });

  it("counts arrivals in a rolling second, so exact 200 ms spacing passes and a little jitter trips it", async () => {
    let clock = 0;
    const local = airtableApiStandIn({ token: TOKEN, baseId: BASE_ID, now: () => clock });
    local.defineTable(PIPELINE, ["Lead Key"]);
    const list = () => local.handle(new Request(`${API}/v0/${BASE_ID}/${encodeURIComponent(PIPELINE)}`, { headers: { authorization: `Bearer ${TOKEN}` } }));

    const statuses: number[] = [];
    for (const at of [0, 200, 400, 600, 800, 1000, 1190]) {
      clock = at;
      statuses.push((await list()).status);
    }
    // At 1000 ms the arrival at 0 has left the window; at 1190 six arrived within 1000 ms (200…1190).
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    clock = 1190 + 29_999;
    expect((await list()).status).toBe(429);
    clock = 1190 + 30_000;
    expect((await list()).status).toBe(200);
    expect(local.count429()).toBe(2);
  });

  it("penalizes one base without touching another", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    standIn.base(OTHER_BASE).defineTable(PIPELINE, ["Lead Key"]);
    standIn.penalize();

    expect(await rejection(pipeline().select().firstPage())).toMatchObject({ statusCode: 429 });
    expect(await pipeline(OTHER_BASE).select().firstPage()).toEqual([]);
    expect(standIn.base(OTHER_BASE).count429()).toBe(0);
  });
});

describe("at most 10 records per write", () => {
  it("refuses 11 records to create, update or delete with 422 and writes nothing; 10 is fine", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ fields: { "Lead Key": `lead-${i}` } }));

    expect(await rejection(pipeline().create(eleven))).toMatchObject({ statusCode: 422, error: "INVALID_RECORDS" });
    expect(standIn.rows(PIPELINE)).toHaveLength(0);

    const ten = await pipeline().create(eleven.slice(0, 10));
    expect(ten).toHaveLength(10);
    const ids = [...ten.map((record) => record.id), standIn.addRow(PIPELINE, { "Lead Key": "lead-10" }).id];

    expect(await rejection(pipeline().update(ids.map((id) => ({ id, fields: { Calls: 1 } }))))).toMatchObject({ statusCode: 422, error: "INVALID_RECORDS" });
    expect(await rejection(pipeline().destroy(ids))).toMatchObject({ statusCode: 422, error: "INVALID_RECORDS" });
    expect(standIn.rows(PIPELINE)).toHaveLength(11);
    expect(standIn.rows(PIPELINE).some((row) => row.fields.Calls !== undefined)).toBe(false);
  });

  it("deletes by records[] and one by id", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const ids = [0, 1, 2].map((i) => standIn.addRow(PIPELINE, { "Lead Key": `lead-${i}` }).id);

    expect((await pipeline().destroy(ids.slice(0, 2))).map((record) => record.id)).toEqual(ids.slice(0, 2));
    expect((await pipeline().destroy(ids[2])).id).toBe(ids[2]);
    expect(standIn.rows(PIPELINE)).toEqual([]);
  });
});

describe("unknown fields and wrongly typed values", () => {
  const REFUSED: [string, Airtable.FieldSet, string][] = [
    ["an unknown field name", { "Lead Key": "k", Notes: "x" }, "UNKNOWN_FIELD_NAME"],
    ["a number as text", { "Lead Key": "k", Calls: "3" }, "INVALID_VALUE_FOR_COLUMN"],
    ["a checkbox as text", { "Lead Key": "k", "Spam?": "yes" }, "INVALID_VALUE_FOR_COLUMN"],
    ["a date that is not ISO 8601", { "Lead Key": "k", "Last Contact": "Nov 2, 2026 10:30" }, "INVALID_VALUE_FOR_COLUMN"],
    ["a select option not among the choices", { "Lead Key": "k", Status: "Maybe" }, "INVALID_MULTIPLE_CHOICE_OPTIONS"],
    ["a value for a computed field", { "Lead Key": "k", "Status Changed": "2026-11-02T10:30:00.000Z" }, "INVALID_VALUE_FOR_COLUMN"],
    ["a number in a text field", { "Lead Key": 42 }, "INVALID_VALUE_FOR_COLUMN"],
  ];

  it.each(REFUSED)("refuses %s with 422 (typecast off), and the whole batch with it", async (_, fields, type) => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const failure = await rejection(pipeline().create([{ fields: { "Lead Key": "fine" } }, { fields }]));
    expect(failure).toMatchObject({ statusCode: 422, error: type });
    expect(standIn.rows(PIPELINE)).toEqual([]);
  });

  it("converts strings with typecast: numbers parsed, boxes ticked, dates read, a new select option created", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const [record] = await pipeline().create(
      [{ fields: { "Lead Key": 42, Calls: "3", "Spam?": "true", "Last Contact": "2026-11-02 10:30", Status: "Spam" } }] as never,
      { typecast: true },
    );

    expect(record.fields).toMatchObject({ "Lead Key": "42", Calls: 3, "Spam?": true, "Last Contact": "2026-11-02T10:30:00.000Z", Status: "Spam" });
    const status = standIn.fields(PIPELINE).find((field) => field.name === "Status");
    expect((status?.options?.choices as { name: string }[]).map((choice) => choice.name)).toEqual(["New", "Contacted", "Won", "Spam"]);
    expect(await rejection(pipeline().create([{ fields: { "Lead Key": "k", Calls: "three" } }], { typecast: true }))).toMatchObject({
      statusCode: 422,
      error: "INVALID_VALUE_FOR_COLUMN",
    });
  });

  it("leaves empty cells and unticked boxes out of what it reads back", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const [created] = await pipeline().create([{ fields: { "Lead Key": "k", "Spam?": false, "Last Message": "", Calls: 0 } }]);
    expect(created.fields).toEqual({ "Lead Key": "k", Calls: 0 });
    const [read] = await pipeline().select({ fields: ["Lead Key", "Spam?", "Calls"] }).firstPage();
    expect(read.fields).toEqual({ "Lead Key": "k", Calls: 0 });
  });
});

describe("performUpsert", () => {
  const upsert = (records: { fields: Record<string, unknown> }[], method: "PATCH" | "PUT" = "PATCH") =>
    airtable().makeRequest({ method, path: `/${encodeURIComponent(PIPELINE)}`, body: { performUpsert: { fieldsToMergeOn: ["Lead Key"] }, records } });

  it("creates on no match, updates on one match, fails when more than one row matches", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);

    const first = await upsert([{ fields: { "Lead Key": "acme:+15125550100", Calls: 1, Status: "New" } }]);
    const createdId = (first.body as { records: { id: string }[] }).records[0].id;
    expect(first.body).toMatchObject({ createdRecords: [createdId], updatedRecords: [] });

    // airtable.js has no upsert call: update() spreads its options into the PATCH body (reference/airtable.md §3).
    const updated = await pipeline().update([{ fields: { "Lead Key": "acme:+15125550100", Calls: 2 } }] as unknown as Parameters<ReturnType<typeof pipeline>["update"]>[0], {
      performUpsert: { fieldsToMergeOn: ["Lead Key"] },
    } as never);
    expect(updated.map((record) => record.id)).toEqual([createdId]);
    expect(standIn.rows(PIPELINE)).toEqual([expect.objectContaining({ id: createdId, fields: expect.objectContaining({ Calls: 2, Status: "New" }) })]);

    standIn.addRow(PIPELINE, { "Lead Key": "twice" });
    standIn.addRow(PIPELINE, { "Lead Key": "twice" });
    expect(await rejection(upsert([{ fields: { "Lead Key": "twice", Calls: 5 } }]))).toMatchObject({ statusCode: 422, message: expect.stringContaining("more than one record") });
    expect(standIn.rows(PIPELINE).filter((row) => row.fields["Lead Key"] === "twice").every((row) => row.fields.Calls === undefined)).toBe(true);
  });

  it("with PUT clears the cells an updated row was not sent", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    standIn.addRow(PIPELINE, { "Lead Key": "k", Calls: 4, Status: "Won" });
    const answer = await upsert([{ fields: { "Lead Key": "k", Calls: 5 } }], "PUT");
    expect(answer.body).toMatchObject({ createdRecords: [], updatedRecords: [expect.stringMatching(/^rec[A-Za-z0-9]{14}$/)] });
    // Status was cleared, which is a change its last-modified field sees.
    expect(standIn.rows(PIPELINE)[0].fields).toEqual({ "Lead Key": "k", Calls: 5, "Status Changed": expect.any(String) });
  });

  it("refuses merge fields that do not exist or cannot be merged on (a phone field)", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const body = (fieldsToMergeOn: string[]) => ({ performUpsert: { fieldsToMergeOn }, records: [{ fields: { "Lead Key": "k", Caller: "+15125550100" } }] });
    expect(await call("PATCH", `/v0/${BASE_ID}/${encodeURIComponent(PIPELINE)}`, { body: body(["Lead Id"]) })).toMatchObject({ status: 422, body: { error: { type: "UNKNOWN_FIELD_NAME" } } });
    expect((await call("PATCH", `/v0/${BASE_ID}/${encodeURIComponent(PIPELINE)}`, { body: body(["Caller"]) })).status).toBe(422);
    expect(standIn.rows(PIPELINE)).toEqual([]);
  });
});

describe("updates by id", () => {
  it("PATCH keeps the cells it was not sent, PUT clears them; an unknown id is refused", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const row = standIn.addRow(PIPELINE, { "Lead Key": "k", Calls: 4, Status: "Won" });

    expect((await pipeline().update(row.id, { Calls: 5 })).fields).toEqual({ "Lead Key": "k", Calls: 5, Status: "Won", "Status Changed": expect.any(String) });
    expect((await pipeline().replace(row.id, { "Lead Key": "k" })).fields).toEqual({ "Lead Key": "k", "Status Changed": expect.any(String) });
    expect(await rejection(pipeline().update([{ id: "recNoSuchRecord00", fields: { Calls: 1 } }]))).toMatchObject({ statusCode: 422, error: "ROW_DOES_NOT_EXIST" });
  });
});

describe("listing with pagination", () => {
  it("returns every row exactly once across pages of at most 100, following the opaque offset", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const added = Array.from({ length: 250 }, (_, i) => standIn.addRow(PIPELINE, { "Lead Key": `lead-${i}` }).id);

    const pages: number[] = [];
    const all: string[] = [];
    await pipeline()
      .select({ fields: ["Lead Key"] })
      .eachPage((records, next) => {
        pages.push(records.length);
        all.push(...records.map((record) => record.id));
        next();
      });

    expect(pages).toEqual([100, 100, 50]);
    expect(all).toEqual(added);
    const offsets = standIn.requests.map((request) => new URL(request.url, API).searchParams.get("offset"));
    expect(offsets[0]).toBeNull();
    expect(offsets.slice(1)).toEqual([expect.stringMatching(/^itr[A-Za-z0-9]{14}\/rec[A-Za-z0-9]{14}$/), expect.any(String)]);
  });

  it("honours pageSize and maxRecords together, and all() collects the pages", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    for (let i = 0; i < 30; i++) standIn.addRow(PIPELINE, { "Lead Key": `lead-${i}` });
    const records = await pipeline().select({ pageSize: 10, maxRecords: 25 }).all();
    expect(records.map((record) => record.fields["Lead Key"])).toEqual(Array.from({ length: 25 }, (_, i) => `lead-${i}`));
    expect(standIn.requests).toHaveLength(3);
  });

  it("refuses a pageSize over 100, an unknown fields[] entry and an offset it did not hand out", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const path = `/v0/${BASE_ID}/${encodeURIComponent(PIPELINE)}`;
    expect((await call("GET", `${path}?pageSize=101`)).status).toBe(422);
    expect(await rejection(pipeline().select({ fields: ["Lead Key", "Active"] }).firstPage())).toMatchObject({ statusCode: 422, error: "UNKNOWN_FIELD_NAME" });
    expect(await call("GET", `${path}?offset=itrNoSuchIterat0/recNoSuchRecord00`)).toMatchObject({ status: 422, body: { error: { type: "LIST_RECORDS_ITERATOR_NOT_AVAILABLE" } } });
  });
});

describe("filterByFormula", () => {
  it("matches the digits-only lookup the config read-through sends, hand-typed numbers included", async () => {
    standIn.defineTable("Client Configuration", ["Tracking Number", "Client ID"]);
    standIn.addRow("Client Configuration", { "Tracking Number": "(512) 555-0134", "Client ID": "acme" });
    standIn.addRow("Client Configuration", { "Tracking Number": "+1 512 555 0199", "Client ID": "other" });
    const filterByFormula = "OR(REGEX_REPLACE({Tracking Number} & '', '[^0-9]', '') = '15125550134', REGEX_REPLACE({Tracking Number} & '', '[^0-9]', '') = '5125550134')";
    const records = await airtable()("Client Configuration").select({ filterByFormula, maxRecords: 5 }).firstPage();
    expect(records.map((record) => record.fields["Client ID"])).toEqual(["acme"]);
  });

  it("pulls the rows whose Status changed since a time, with LAST_MODIFIED_TIME or a last-modified field", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    const longAgo = Date.now() - 60_000;
    const statusChanged = standIn.addRow(PIPELINE, { "Lead Key": "a", Status: "New" }, longAgo);
    const otherChange = standIn.addRow(PIPELINE, { "Lead Key": "b", Status: "New" }, longAgo);
    standIn.addRow(PIPELINE, { "Lead Key": "c", Status: "New" }, longAgo);
    const since = new Date(Date.now() - 1000).toISOString();

    await pipeline().update(statusChanged.id, { Status: "Contacted" });
    await pipeline().update(otherChange.id, { Calls: 3, Status: "New" }); // Status written unchanged: not a change

    const byFunction = await pipeline().select({ filterByFormula: `IS_AFTER(LAST_MODIFIED_TIME({Status}), DATETIME_PARSE('${since}'))` }).all();
    expect(byFunction.map((record) => record.id)).toEqual([statusChanged.id]);
    const byField = await pipeline().select({ filterByFormula: `IS_AFTER({Status Changed}, DATETIME_PARSE('${since}'))` }).all();
    expect(byField.map((record) => record.id)).toEqual([statusChanged.id]);
    expect(Date.parse(byField[0].fields["Status Changed"] as string)).toBeGreaterThan(Date.parse(since));
  });

  it("refuses any other formula, and unknown field names in a known one, with 422 INVALID_FILTER_BY_FORMULA", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    for (const filterByFormula of ["{Lead Key} = 'a'", "IS_AFTER(LAST_MODIFIED_TIME({Stage}), DATETIME_PARSE('2026-01-01T00:00:00.000Z'))"]) {
      expect(await rejection(pipeline().select({ filterByFormula }).firstPage())).toMatchObject({ statusCode: 422, error: "INVALID_FILTER_BY_FORMULA" });
    }
  });
});

describe("Meta API", () => {
  const numberTable = (options?: object) => ({
    name: "Lead Pipeline",
    fields: [
      { name: "Lead Key", type: "singleLineText" },
      { name: "Calls", type: "number", ...(options ? { options } : {}) },
    ],
  });

  it("refuses a number field without precision and creates the table with it, with tbl/fld ids, usable at once", async () => {
    expect(await rejection(meta().makeRequest({ method: "POST", path: "/tables", body: numberTable() }))).toMatchObject({
      statusCode: 422,
      error: "INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE",
    });

    const created = (await meta().makeRequest({ method: "POST", path: "/tables", body: numberTable({ precision: 0 }) })).body as { id: string; fields: { id: string; name: string }[] };
    expect(created.id).toMatch(/^tbl[A-Za-z0-9]{14}$/);
    expect(created.fields.map((field) => field.id)).toEqual([expect.stringMatching(/^fld[A-Za-z0-9]{14}$/), expect.stringMatching(/^fld/)]);

    const schema = (await meta().makeRequest({ path: "/tables" })).body as { tables: { id: string; name: string; primaryFieldId: string; fields: unknown[] }[] };
    expect(schema.tables).toEqual([
      expect.objectContaining({ id: created.id, name: "Lead Pipeline", primaryFieldId: created.fields[0].id, fields: [expect.anything(), expect.objectContaining({ type: "number", options: { precision: 0 } })] }),
    ]);
    const [record] = await airtable()(created.id).create([{ fields: { "Lead Key": "k", Calls: 1 } }]);
    expect(record.fields).toEqual({ "Lead Key": "k", Calls: 1 });
  });

  it("adds fields only with the options their type needs: checkbox icon and colour, date-time formats and zone, select choices", async () => {
    standIn.defineTable(PIPELINE, ["Lead Key"]);
    const addField = (body: object) => meta().makeRequest({ method: "POST", path: `/tables/${encodeURIComponent(PIPELINE)}/fields`, body });
    const refusals = await Promise.all([
      rejection(addField({ name: "Spam?", type: "checkbox" })),
      rejection(addField({ name: "Last Contact", type: "dateTime", options: { dateFormat: { name: "iso" }, timeFormat: { name: "24hour" } } })),
      rejection(addField({ name: "Status", type: "singleSelect" })),
    ]);
    expect(refusals.map((refusal) => refusal.error)).toEqual(Array(3).fill("INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE"));

    const added = await addField({ name: "Spam?", type: "checkbox", options: { icon: "check", color: "greenBright" } });
    expect(added.body).toMatchObject({ id: expect.stringMatching(/^fld/), name: "Spam?", type: "checkbox" });
    expect(standIn.fields(PIPELINE).map((field) => field.name)).toEqual(["Lead Key", "Spam?"]);
  });

  it("accepts complete date-time and select options, refuses options on a text field and computed types", async () => {
    standIn.defineTable(PIPELINE, ["Lead Key"]);
    const addField = (body: object) => meta().makeRequest({ method: "POST", path: `/tables/${encodeURIComponent(PIPELINE)}/fields`, body });
    await addField({ name: "Last Contact", type: "dateTime", options: { dateFormat: { name: "iso" }, timeFormat: { name: "24hour" }, timeZone: "America/Chicago" } });
    const status = await addField({ name: "Status", type: "singleSelect", options: { choices: [{ name: "New" }, { name: "Won" }] } });
    expect(status.body).toMatchObject({ options: { choices: [{ id: expect.stringMatching(/^sel/), name: "New" }, { id: expect.stringMatching(/^sel/), name: "Won" }] } });
    expect(await rejection(addField({ name: "Notes", type: "multilineText", options: {} }))).toMatchObject({ error: "INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE" });
    expect(await rejection(addField({ name: "Status Changed", type: "lastModifiedTime", options: { referencedFieldIds: [] } }))).toMatchObject({
      error: "UNSUPPORTED_FIELD_TYPE_FOR_CREATE",
    });
    // A time without a zone is read in the field's zone (Chicago is UTC-6 in November).
    const [record] = await pipeline().create([{ fields: { "Lead Key": "k", "Last Contact": "2026-11-02T10:30:00" } }]);
    expect(record.fields["Last Contact"]).toBe("2026-11-02T16:30:00.000Z");
  });
});

describe("fault controls", () => {
  it("goes down, hangs, slows down and recovers, logging every request", async () => {
    standIn.defineTable(PIPELINE, PIPELINE_FIELDS);
    standIn.goDown(503);
    expect(await rejection(pipeline().select().firstPage())).toMatchObject({ statusCode: 503, error: "SERVICE_UNAVAILABLE" });
    standIn.hang();
    const hanging = new Airtable({ apiKey: TOKEN, endpointUrl: API, noRetryIfRateLimited: true, requestTimeout: 300 }).base(BASE_ID)(PIPELINE);
    expect(await rejection(hanging.select().firstPage())).toMatchObject({ name: "AbortError" });
    standIn.recover();
    standIn.setLatency(300);
    const started = Date.now();
    expect(await pipeline().select().firstPage()).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(standIn.requests.map((request) => [request.method, request.status])).toEqual([
      ["GET", 503],
      ["GET", undefined],
      ["GET", 200],
    ]);
  });
});
