import { randomBytes } from "node:crypto";
import { json, sleep, type StandIn } from "./stand-in";

export type AirtableRow = { id: string; fields: Record<string, unknown> };

type Mode = { kind: "up" } | { kind: "down"; status: number } | { kind: "hang" };

/**
 * The parts of Airtable's REST API the config read-through relies on: bearer auth, list records
 * with fields[] (an unknown field is 422 UNKNOWN_FIELD_NAME) and the digits-only match formula the
 * lookup sends (anything else is 422 INVALID_FILTER_BY_FORMULA), empty cells left out of records.
 */
export function airtableApiStandIn(options: { token: string; baseId: string }) {
  const tables = new Map<string, { fields: Set<string>; rows: AirtableRow[] }>();
  const requests: { method: string; url: string }[] = [];
  let latencyMs = 0;
  let mode: Mode = { kind: "up" };

  const handle: StandIn = async (request) => {
    const url = new URL(request.url);
    requests.push({ method: request.method, url: url.pathname + url.search });
    if (mode.kind === "hang") return new Promise<Response>(() => {});
    if (latencyMs) await sleep(latencyMs);
    if (mode.kind === "down") return json(mode.status, { error: { type: "SERVICE_UNAVAILABLE", message: "down" } });
    if (request.headers.get("authorization") !== `Bearer ${options.token}`) {
      return json(401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } });
    }
    const match = /^\/v0\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const table = match && match[1] === options.baseId ? tables.get(decodeURIComponent(match[2])) : undefined;
    if (!table || request.method !== "GET") {
      return json(404, { error: { type: "NOT_FOUND", message: "Could not find what you are looking for" } });
    }
    const wanted = url.searchParams.getAll("fields[]");
    const unknown = wanted.find((field) => !table.fields.has(field));
    if (unknown) return json(422, { error: { type: "UNKNOWN_FIELD_NAME", message: `Unknown field name: "${unknown}"` } });

    let rows = table.rows;
    const formula = url.searchParams.get("filterByFormula");
    if (formula) {
      const digits = digitsFormulaValues(formula);
      if (!digits) return json(422, { error: { type: "INVALID_FILTER_BY_FORMULA", message: "Invalid formula" } });
      rows = rows.filter((row) => digits.values.includes(String(row.fields[digits.field] ?? "").replace(/[^0-9]/g, "")));
    }
    const maxRecords = Number(url.searchParams.get("maxRecords") ?? rows.length);
    const records = rows.slice(0, maxRecords).map((row) => ({
      id: row.id,
      createdTime: "2026-11-01T00:00:00.000Z",
      fields: Object.fromEntries(
        Object.entries(row.fields).filter(([name, value]) => (wanted.length === 0 || wanted.includes(name)) && value !== "" && value !== false && value !== undefined),
      ),
    }));
    return json(200, { records });
  };

  return {
    handle,
    requests,
    defineTable(name: string, fields: string[]) {
      tables.set(name, { fields: new Set(fields), rows: [] });
    },
    addRow(tableName: string, fields: Record<string, unknown>): AirtableRow {
      const table = tables.get(tableName);
      if (!table) throw new Error(`no table ${tableName}`);
      const row = { id: `rec${randomBytes(7).toString("hex")}`, fields };
      table.rows.push(row);
      return row;
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    goDown(status = 503) {
      mode = { kind: "down", status };
    },
    hang() {
      mode = { kind: "hang" };
    },
    recover() {
      mode = { kind: "up" };
    },
    reset() {
      tables.clear();
      requests.length = 0;
      latencyMs = 0;
      mode = { kind: "up" };
    },
  };
}
export type AirtableApiStandIn = ReturnType<typeof airtableApiStandIn>;

/** OR(REGEX_REPLACE({Field} & '', '[^0-9]', '') = '123', ...) → the field and the digit strings. */
function digitsFormulaValues(formula: string): { field: string; values: string[] } | undefined {
  const term = /REGEX_REPLACE\(\{([^}]+)\} & '', '\[\^0-9\]', ''\) = '(\d+)'/g;
  const values: string[] = [];
  let field: string | undefined;
  for (const match of formula.matchAll(term)) {
    field = match[1];
    values.push(match[2]);
  }
  const rebuilt = `OR(${values.map((value) => `REGEX_REPLACE({${field}} & '', '[^0-9]', '') = '${value}'`).join(", ")})`;
  return field && rebuilt === formula ? { field, values } : undefined;
}
