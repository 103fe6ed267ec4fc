import type { Queryable } from "../db/database";
import type { AirtableSettings } from "./airtable-base";
import { PACE_SPACING_MS, waitForPaceTurn } from "./airtable-pace";
import type { FieldSchema } from "./base-schema";

export type MetaField = { id: string; name: string; type: string; options?: Record<string, unknown> };
export type MetaTable = { id: string; name: string; fields: MetaField[] };

export class AirtableMetaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "AirtableMetaError";
  }
}

const META_TIMEOUT_MS = 8000;
// Admin requests count against the base's 5 per rolling second like any other. The one-off commands
// (setup, check) pace themselves in their own process: one request every 280 ms. The server, where
// drainers share the base, passes the database to take its turns on the shared pace.
let nextRequestAt = 0;
// The server's admin requests run inside a cron route's 60 s: a base paused for longer is reported, not waited out.
const ADMIN_MAX_WAIT_MS = 30_000;

export type AdminRequestOptions = { method?: "GET" | "POST" | "DELETE"; sharedPace?: Queryable };

async function waitForTurn(baseId: string, sharedPace: Queryable | undefined): Promise<void> {
  if (sharedPace) return waitForPaceTurn(sharedPace, baseId, { maxWaitMs: ADMIN_MAX_WAIT_MS });
  const wait = nextRequestAt - Date.now();
  nextRequestAt = Math.max(Date.now(), nextRequestAt) + PACE_SPACING_MS;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** A request to Airtable's admin APIs (Meta, webhooks) under /v0: a GET, or a POST when there is a body. */
export async function airtableAdminRequest<T>(settings: AirtableSettings, path: string, body?: unknown, options: AdminRequestOptions = {}): Promise<T> {
  await waitForTurn(settings.baseId, options.sharedPace);
  const response = await fetch(`${settings.apiUrl ?? "https://api.airtable.com"}/v0${path}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${settings.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(META_TIMEOUT_MS),
  });
  const json = (await response.json().catch(() => ({}))) as { error?: { type?: string; message?: string } | string };
  if (!response.ok) {
    const error = typeof json.error === "string" ? { type: json.error } : (json.error ?? {});
    throw new AirtableMetaError(response.status, error.type ?? "ERROR", error.message ?? `Airtable answered ${response.status}`);
  }
  return json as T;
}

export async function listTables(settings: AirtableSettings, sharedPace?: Queryable): Promise<MetaTable[]> {
  return (await airtableAdminRequest<{ tables: MetaTable[] }>(settings, `/meta/bases/${settings.baseId}/tables`, undefined, { sharedPace })).tables;
}

export async function createTable(settings: AirtableSettings, table: { name: string; description: string; fields: FieldSchema[] }): Promise<void> {
  await airtableAdminRequest(settings, `/meta/bases/${settings.baseId}/tables`, table);
}

export async function createField(settings: AirtableSettings, tableId: string, field: FieldSchema): Promise<void> {
  await airtableAdminRequest(settings, `/meta/bases/${settings.baseId}/tables/${tableId}/fields`, field);
}
