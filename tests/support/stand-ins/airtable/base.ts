// One Airtable base in the stand-in: its tables, its rate window and penalty, its fault mode and
// its request log, and the controls a test uses to set it up and look at it.
import type { StandInWebhook } from "./webhooks";
import { COMPUTED_TYPES, defaultFieldOptions, findField, newId, readCell, type Field, type FieldSpec, type Row, type Table } from "./model";

export type Mode = { kind: "up" } | { kind: "down"; status: number } | { kind: "hang" } | { kind: "planLimited" };
export type LoggedRequest = { method: string; url: string; at: number; status?: number };
export type AirtableRow = { id: string; fields: Record<string, unknown> };
export type ListIterator = { tableId: string; ids: string[] };

export type BaseSettings = { requestsPerSecond: number; penaltyMs: number; now: () => number };

export type BaseState = {
  id: string;
  name: string;
  tables: Table[];
  requests: LoggedRequest[];
  /** Arrival time of every request that reached this base (authenticated), 429s included. */
  arrivals: number[];
  rejected429: number;
  penalizedUntil: number;
  latencyMs: number;
  mode: Mode;
  iterators: Map<string, ListIterator>;
  webhooks: Map<string, StandInWebhook>;
};

export function newBaseState(id: string): BaseState {
  return { id, name: id, tables: [], requests: [], arrivals: [], rejected429: 0, penalizedUntil: 0, latencyMs: 0, mode: { kind: "up" }, iterators: new Map(), webhooks: new Map() };
}

export function findTable(base: BaseState, nameOrId: string): Table | undefined {
  return base.tables.find((table) => table.name === nameOrId) ?? base.tables.find((table) => table.id === nameOrId);
}

/**
 * Airtable counts arrivals in a rolling second: the request that makes more than
 * `requestsPerSecond` arrivals within the last 1000 ms is refused, and so is every request to the
 * base for the next `penaltyMs`. Returns whether this arrival is refused.
 */
export function admit(base: BaseState, settings: BaseSettings, at: number): boolean {
  base.arrivals.push(at);
  if (at < base.penalizedUntil) {
    base.rejected429 += 1;
    return false;
  }
  let inWindow = 0;
  for (let i = base.arrivals.length - 1; i >= 0 && at - base.arrivals[i] < 1000; i--) inWindow += 1;
  if (inWindow > settings.requestsPerSecond) {
    base.penalizedUntil = at + settings.penaltyMs;
    base.rejected429 += 1;
    return false;
  }
  return true;
}

export function maxInAnyRollingSecond(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The control surface of one base. */
export function baseControls(base: BaseState, settings: BaseSettings) {
  const table = (name: string) => {
    const found = findTable(base, name);
    if (!found) throw new Error(`no table ${name} in base ${base.id}`);
    return found;
  };
  return {
    id: base.id,
    /** Every request addressed to this base, in arrival order, with the status it got. */
    requests: base.requests,
    /** The webhooks registered on this base, as Airtable keeps them. */
    webhooks: () => [...base.webhooks.values()],
    /** Arrival times (ms) of the requests that reached this base's rate limiter. */
    arrivals: base.arrivals as readonly number[],
    /**
     * Creates (or replaces) a table. A field is a name (single line text) or `{ name, type, options }`;
     * options left out get what Airtable's UI would give (precision 0, a green check, ISO dates in
     * UTC, no choices). lastModifiedTime takes `options.referencedFieldIds` as field names or ids.
     */
    defineTable(name: string, fields: FieldSpec[], description?: string) {
      const byName = new Map<string, Field>();
      for (const spec of fields) {
        const { name: fieldName, type, options, description: fieldDescription } = typeof spec === "string" ? { name: spec, type: "singleLineText" as const, options: undefined, description: undefined } : spec;
        if (byName.has(fieldName)) throw new Error(`field ${fieldName} twice in ${name}`);
        const field: Field = { id: newId("fld"), name: fieldName, type, options: defaultFieldOptions(type, byName, options), description: fieldDescription };
        byName.set(fieldName, field);
      }
      const existing = findTable(base, name);
      const defined: Table = { id: existing?.id ?? newId("tbl"), name, description, fields: [...byName.values()], rows: [], viewId: newId("viw") };
      base.tables = [...base.tables.filter((candidate) => candidate !== existing), defined];
      return { id: defined.id, fields: Object.fromEntries(defined.fields.map((field) => [field.name, field.id])) };
    },
    /**
     * Adds a row as someone typing into Airtable would: values are stored as given (no type check),
     * but every field must exist. `at` sets its created and modified time (default now).
     */
    addRow(tableName: string, fields: Record<string, unknown>, at = settings.now()): AirtableRow {
      const target = table(tableName);
      const row: Row = { id: newId("rec"), createdTime: at, fields: {}, modified: {} };
      for (const [name, value] of Object.entries(fields)) {
        const field = findField(target, name);
        if (!field || field.name !== name) throw new Error(`no field ${name} in ${tableName}`);
        if (COMPUTED_TYPES.has(field.type)) throw new Error(`${name} is computed`);
        if (value === undefined || value === null) continue;
        row.fields[name] = value;
        row.modified[name] = at;
      }
      target.rows.push(row);
      return { id: row.id, fields: { ...row.fields } };
    },
    /** Rows as the API would read them (computed fields included, empty cells left out). */
    rows(tableName: string): (AirtableRow & { createdTime: string })[] {
      const target = table(tableName);
      return target.rows.map((row) => ({
        id: row.id,
        createdTime: new Date(row.createdTime).toISOString(),
        fields: Object.fromEntries(target.fields.map((field) => [field.name, readCell(row, field, target)]).filter(([, value]) => value !== undefined)),
      }));
    },
    /** The table's fields as the Meta API describes them (choices created by typecast included). */
    fields(tableName: string) {
      return table(tableName).fields.map((field) => ({ ...field }));
    },
    setLatency(ms: number) {
      base.latencyMs = ms;
    },
    goDown(status = 503) {
      base.mode = { kind: "down", status };
    },
    hang() {
      base.mode = { kind: "hang" };
    },
    /** The workspace has used up its plan's monthly API calls: every request gets 429 PUBLIC_API_BILLING_LIMIT_EXCEEDED. */
    exceedPlanLimit() {
      base.mode = { kind: "planLimited" };
    },
    recover() {
      base.mode = { kind: "up" };
    },
    /** Puts the base in the rate-limit penalty now, as if it had just had a sixth request in a second. */
    penalize(ms = settings.penaltyMs) {
      base.penalizedUntil = settings.now() + ms;
    },
    isPenalized() {
      return settings.now() < base.penalizedUntil;
    },
    /** The most requests that arrived within any 1000 ms (429s included). */
    maxRequestsInAnyRollingSecond() {
      return maxInAnyRollingSecond(base.arrivals);
    },
    count429() {
      return base.rejected429;
    },
    /** Forgets every list offset, so the next page request gets LIST_RECORDS_ITERATOR_NOT_AVAILABLE. */
    expireIterators() {
      base.iterators.clear();
    },
    /** Empties the base: no tables, no log, no rate history, up, no latency. */
    reset() {
      base.tables = [];
      base.requests.length = 0;
      base.arrivals.length = 0;
      base.rejected429 = 0;
      base.penalizedUntil = 0;
      base.latencyMs = 0;
      base.mode = { kind: "up" };
      base.iterators.clear();
      base.webhooks.clear();
    },
  };
}
export type AirtableBaseControls = ReturnType<typeof baseControls>;
