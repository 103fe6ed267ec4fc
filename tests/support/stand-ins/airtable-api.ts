/**
 * A stand-in for Airtable's REST API (records and Meta API), faithful on every point Leadline relies
 * on. Facts and sources: /work/shared/reference/airtable.md. One function of a web Request, so msw
 * (tests/support/remote-services.ts) and a real port (serve-stand-in.ts) share it.
 *
 *   const airtable = airtableApiStandIn({ token, baseId, penaltyMs?: 30_000, requestsPerSecond?: 5, now?: Date.now });
 *   airtable.defineTable("Lead Pipeline", ["Lead Key", { name: "Calls", type: "number", options: { precision: 0 } }]);
 *   airtable.base("appOtherBase00001").defineTable(...)   // another base: same controls, own tables, window, penalty
 *
 * Behaviour:
 * - Bearer auth on everything: 401 AUTHENTICATION_REQUIRED otherwise. A base the stand-in does not
 *   know (or a table not in it): 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (404 NOT_FOUND for a
 *   malformed base id). Bases exist once constructed or addressed with `base(id)`.
 * - Rate limit per base: the request that makes more than 5 arrivals within the last 1000 ms gets
 *   429 `{"errors":[{"error":"RATE_LIMIT_REACHED",…}]}` and every request to that base gets 429
 *   for the next `penaltyMs` (30 s). Meta API requests count too. Failed-auth requests do not.
 * - Monthly plan limit (`exceedPlanLimit()`, until `recover()`): every request to the base gets 429
 *   `{"errors":[{"error":"PUBLIC_API_BILLING_LIMIT_EXCEEDED",…}]}`, the workspace's API calls for the
 *   month being used up (Free and Team plans).
 * - Typed fields: singleLineText (a bare name), multilineText, phoneNumber, email, url, number,
 *   checkbox, date, dateTime, singleSelect, and the computed lastModifiedTime (watching
 *   options.referencedFieldIds, names or ids; none = every field) and createdTime. Writes check
 *   every cell: unknown field 422 UNKNOWN_FIELD_NAME, wrong JSON type 422 INVALID_VALUE_FOR_COLUMN,
 *   a select option not among the choices 422 INVALID_MULTIPLE_CHOICE_OPTIONS, a computed field
 *   422 INVALID_VALUE_FOR_COLUMN. With `typecast: true` strings become numbers, checkboxes, dates,
 *   and new select options (kept only if the whole request succeeds). A request is all or nothing.
 *   Reads leave out empty cells and unticked boxes; "" and null clear a cell.
 * - Records: GET list (pageSize ≤ 100, default 100; maxRecords; opaque `offset` "itr…/rec…" from a
 *   snapshot taken at the first page; fields[] by name or id, unknown = 422 UNKNOWN_FIELD_NAME;
 *   returnFieldsByFieldId), POST …/listRecords (same, in the body), GET one, POST create (one, or
 *   ≤ 10 records), PATCH/PUT by id (≤ 10; PUT clears unsent cells), PATCH/PUT with
 *   performUpsert.fieldsToMergeOn (1–3 existing text/number/select/date fields: 0 matches creates,
 *   1 updates, more than 1 fails the request; the answer adds createdRecords/updatedRecords),
 *   matching against the table as it was when the request arrived: two upserts of one new key in
 *   flight at once (overlapping, e.g. with setLatency) both create a row, as Airtable does, and
 *   every later upsert of that key fails 422 (more than one match),
 *   DELETE ?records[]= (≤ 10) or one. More than 10 records: 422 INVALID_RECORDS.
 * - filterByFormula, exactly these forms (anything else: 422 INVALID_FILTER_BY_FORMULA):
 *     OR(REGEX_REPLACE({Field} & '', '[^0-9]', '') = '15125550134', …)        digits-only match
 *     IS_AFTER(LAST_MODIFIED_TIME({Status}), DATETIME_PARSE('2026-01-01T00:00:00.000Z'))
 *        rows whose named fields (one or more, `{A}, {B}`; none = any field) changed after the
 *        instant: the form for "pipeline rows changed since the last pull", needing no extra column
 *     IS_AFTER({Some Date Field}, DATETIME_PARSE('…'))   a dateTime/date/createdTime/lastModifiedTime field
 * - Meta API: GET /v0/meta/bases, GET and POST /v0/meta/bases/{base}/tables, POST
 *   …/tables/{tableIdOrName}/fields. Options are required where Airtable requires them (number:
 *   precision; checkbox: icon and color; date: dateFormat; dateTime: dateFormat, timeFormat,
 *   timeZone; singleSelect: choices) and refused on text types: 422
 *   INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE. Computed types (lastModifiedTime, formula, …) cannot be
 *   created through the API: 422 UNSUPPORTED_FIELD_TYPE_FOR_CREATE. Ids: tbl…, fld…, sel…, viw….
 * - Unverified against the live service (types chosen from Airtable's generic list): upsert with
 *   several matches, a merge field of a refused type, a missing merge value or one key twice in a
 *   batch are 422 INVALID_REQUEST_UNKNOWN; an unknown record id in a batch is 422 ROW_DOES_NOT_EXIST.
 *   Not modelled: the 50 requests/s per-token limit, sort, views other than the grid, cellFormat
 *   string (400 NOT_SUPPORTED_BY_STAND_IN), field/table renames. Webhooks (list, create, refresh,
 *   delete) are kept but never ping on their own: a test sends `ping(hook)`; their filters are stored, not applied.
 */
import { signedPing, webhooksRoute, type StandInWebhook } from "./airtable/webhooks";
import { json, sleep, type StandIn } from "./stand-in";
import { admit, baseControls, findTable, newBaseState, type AirtableBaseControls, type BaseSettings, type BaseState, type LoggedRequest } from "./airtable/base";
import { createField, createTable, listTables } from "./airtable/meta";
import { Failure, fail, type Row, type Table } from "./airtable/model";
import { createRecords, deleteRecord, deleteRecords, getRecord, listParamsFromQuery, listRecords, updateRecord, updateRecords } from "./airtable/records";

export type { AirtableRow, AirtableBaseControls, LoggedRequest } from "./airtable/base";
export type { FieldSpec, FieldType } from "./airtable/model";

export type AirtableStandInOptions = {
  token: string;
  /** The base the top-level controls act on. */
  baseId: string;
  /** How long a base stays refused after tripping the rate limit (Airtable: 30 s). */
  penaltyMs?: number;
  /** Arrivals allowed per rolling second per base (Airtable: 5). Infinity turns the limit off. */
  requestsPerSecond?: number;
  /** The clock (ms) for rate windows, created and modified times. */
  now?: () => number;
};

const RATE_LIMITED = { errors: [{ error: "RATE_LIMIT_REACHED", message: "Rate limit exceeded. Please try again later" }] };
const PLAN_LIMITED = { errors: [{ error: "PUBLIC_API_BILLING_LIMIT_EXCEEDED", message: "This workspace has used all the API calls its plan allows this month" }] };
const MODEL_NOT_FOUND = () =>
  fail(403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND", "Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.");
const NOT_FOUND = () => new Failure(404, { error: "NOT_FOUND" });
const WELL_FORMED_BASE_ID = /^app[A-Za-z0-9]{14}$/;

export function airtableApiStandIn(options: AirtableStandInOptions) {
  const settings: BaseSettings = { requestsPerSecond: options.requestsPerSecond ?? 5, penaltyMs: options.penaltyMs ?? 30_000, now: options.now ?? Date.now };
  const states = new Map<string, BaseState>();
  const controls = new Map<string, AirtableBaseControls>();
  const allRequests: LoggedRequest[] = [];

  /** The controls of another base, which now exists in the stand-in (empty until tables are defined). */
  function base(id: string): AirtableBaseControls {
    if (!controls.has(id)) {
      const state = newBaseState(id);
      states.set(id, state);
      controls.set(id, baseControls(state, settings));
    }
    return controls.get(id)!;
  }
  const home = base(options.baseId);
  const homeState = states.get(options.baseId)!;

  const handle: StandIn = async (request) => {
    const url = new URL(request.url);
    let segments: string[];
    try {
      segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      segments = [];
    }
    const baseId = segments[1] === "meta" || segments[1] === "bases" ? (segments[1] === "bases" ? segments[2] : segments[2] === "bases" ? segments[3] : undefined) : segments[1];
    const state = baseId === undefined ? undefined : states.get(baseId);
    const entry: LoggedRequest = { method: request.method, url: url.pathname + url.search, at: settings.now() };
    allRequests.push(entry);
    state?.requests.push(entry);
    const { mode, latencyMs } = state ?? homeState;
    if (mode.kind === "hang") return new Promise<Response>(() => {});

    const answer = async (status: number, body: unknown) => {
      if (latencyMs) await sleep(latencyMs);
      entry.status = status;
      return json(status, body);
    };
    if (mode.kind === "down") {
      const type = mode.status === 503 ? "RETRIABLE_ERROR" : mode.status === 502 ? "BAD_GATEWAY" : "SERVER_ERROR";
      return answer(mode.status, { error: { type, message: "down" } });
    }
    if (request.headers.get("authorization") !== `Bearer ${options.token}`) {
      return answer(401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } });
    }
    if (segments[0] !== "v0") return answer(404, { error: "NOT_FOUND" });
    if (baseId !== undefined && !state) {
      const failure = WELL_FORMED_BASE_ID.test(baseId) ? MODEL_NOT_FOUND() : NOT_FOUND();
      return answer(failure.status, failure.body);
    }
    if (state && !admit(state, settings, entry.at)) return answer(429, RATE_LIMITED);
    if (mode.kind === "planLimited") return answer(429, PLAN_LIMITED);
    const rowsAtArrival = new Map<Table, Row[]>(request.method === "PATCH" || request.method === "PUT" ? state?.tables.map((table) => [table, [...table.rows]]) : []);

    let body: unknown;
    if (request.method !== "GET" && request.method !== "DELETE") {
      const text = await request.text();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return answer(400, { error: { type: "INVALID_REQUEST_BODY", message: "The request body is not valid JSON" } });
      }
    }
    if (latencyMs) await sleep(latencyMs);
    try {
      const [status, result] = route(request.method, segments, url.searchParams, body, state, rowsAtArrival);
      entry.status = status;
      return json(status, result);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      entry.status = error.status;
      return json(error.status, error.body);
    }
  };

  function route(method: string, segments: string[], query: URLSearchParams, body: unknown, state: BaseState | undefined, rowsAtArrival: Map<Table, Row[]>): [number, unknown] {
    const [, first, second] = segments;
    if (first === "bases" && state && segments[3] === "webhooks") return webhooksRoute(state.webhooks, method, segments.slice(4), body, settings.now());
    if (first === "meta" && second === "bases") {
      if (segments.length === 3 && method === "GET") return [200, { bases: [...states.values()].map((known) => ({ id: known.id, name: known.name, permissionLevel: "create" })) }];
      if (!state || segments[4] !== "tables") throw NOT_FOUND();
      if (segments.length === 5 && method === "GET") return [200, listTables(state)];
      if (segments.length === 5 && method === "POST") return [200, createTable(state, body)];
      if (segments.length === 7 && segments[6] === "fields" && method === "POST") return [200, createField(state, segments[5], body) ?? throwModelNotFound()];
      throw NOT_FOUND();
    }
    if (!state || segments.length < 3 || segments.length > 4) throw NOT_FOUND();
    const table = findTable(state, second) ?? throwModelNotFound();
    const third = segments[3];
    if (third === undefined) {
      switch (method) {
        case "GET":
          return [200, listRecords(state, table, listParamsFromQuery(query))];
        case "POST":
          return [200, createRecords(table, body, settings)];
        case "PATCH":
        case "PUT":
          return [200, updateRecords(table, body, method === "PUT", settings, rowsAtArrival.get(table))];
        case "DELETE":
          return [200, deleteRecords(table, [...query.getAll("records[]"), ...query.getAll("records")])];
      }
      throw NOT_FOUND();
    }
    if (third === "listRecords" && method === "POST") {
      const params = { ...(body as object), ...Object.fromEntries(query) };
      return [200, listRecords(state, table, params)];
    }
    switch (method) {
      case "GET":
        return [200, getRecord(table, third, query.get("returnFieldsByFieldId") === "true")];
      case "PATCH":
      case "PUT":
        return [200, updateRecord(table, third, body, method === "PUT", settings)];
      case "DELETE":
        return [200, deleteRecord(table, third)];
    }
    throw NOT_FOUND();
  }

  return {
    handle,
    ...home,
    /** The controls of any base by id (creating it in the stand-in); `base(baseId)` is the top level's. */
    base,
    /** Every request to the stand-in, whichever base it addressed (or none). */
    allRequests,
    /** The ping a webhook sends, from the base that holds it, signed as Airtable signs it. */
    ping: (hook: StandInWebhook) => signedPing(hook, [...states.values()].find((state) => state.webhooks.has(hook.id))?.id ?? options.baseId),
    /** Empties the constructed base and forgets every other base. */
    reset() {
      for (const id of [...states.keys()]) {
        if (id === options.baseId) continue;
        states.delete(id);
        controls.delete(id);
      }
      home.reset();
      allRequests.length = 0;
    },
  };
}
export type AirtableApiStandIn = ReturnType<typeof airtableApiStandIn>;

function throwModelNotFound(): never {
  throw MODEL_NOT_FOUND();
}
