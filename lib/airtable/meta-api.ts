import type { AirtableSettings } from "./airtable-base";
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
// Admin requests count against the base's 5 per rolling second like any other; setup, check and
// webhook registration are one-off commands, so a pace kept in this process is enough: one
// request every 280 ms.
const REQUEST_SPACING_MS = 280;
let nextRequestAt = 0;

/** A request to Airtable's admin APIs (Meta, webhooks) under /v0, on this process's pace. */
export async function airtableAdminRequest<T>(settings: AirtableSettings, path: string, body?: unknown): Promise<T> {
  const wait = nextRequestAt - Date.now();
  nextRequestAt = Math.max(Date.now(), nextRequestAt) + REQUEST_SPACING_MS;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const response = await fetch(`${settings.apiUrl ?? "https://api.airtable.com"}/v0${path}`, {
    method: body === undefined ? "GET" : "POST",
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

export async function listTables(settings: AirtableSettings): Promise<MetaTable[]> {
  return (await airtableAdminRequest<{ tables: MetaTable[] }>(settings, `/meta/bases/${settings.baseId}/tables`)).tables;
}

export async function createTable(settings: AirtableSettings, table: { name: string; description: string; fields: FieldSchema[] }): Promise<void> {
  await airtableAdminRequest(settings, `/meta/bases/${settings.baseId}/tables`, table);
}

export async function createField(settings: AirtableSettings, tableId: string, field: FieldSchema): Promise<void> {
  await airtableAdminRequest(settings, `/meta/bases/${settings.baseId}/tables/${tableId}/fields`, field);
}
