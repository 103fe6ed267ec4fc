import { beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/airtable/webhook/route";
import { GET as webhookCron } from "@/app/api/cron/airtable-webhook/route";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { PIPELINE_FIELDS as P } from "@/lib/airtable/pipeline-fields";
import { airtableAdminRequest, listTables } from "@/lib/airtable/meta-api";
import { setUpBase } from "@/lib/airtable/set-up-base";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { settleDeferredWork } from "../support/deferred-work";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";
import type { StandInWebhook } from "../support/stand-ins/airtable/webhooks";
import { addTrackingNumber } from "../support/tracking-numbers";

// The daily cron route that keeps Airtable's webhooks alive, and the pings they send. These run on
// the embedded database with no DATABASE_URL, as a single server runs them.
const { airtable } = useRemoteServices();
const settings = () => serverEnv().airtable!;
const SECRET = "webhook-cron-secret";

const refreshWebhooks = async () => {
  const response = await webhookCron(new Request("http://10.0.0.7/api/cron/airtable-webhook", { headers: { authorization: `Bearer ${SECRET}` } }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { webhooks: { baseId: string; watches: string; outcome: string; detail?: string }[] }).webhooks;
};
const pingRequest = (body: string, mac?: string) =>
  new Request("http://10.0.0.7/api/airtable/webhook", { method: "POST", headers: { "content-type": "application/json", ...(mac ? { "x-airtable-content-mac": mac } : {}) }, body });
const sendPing = async (hook: StandInWebhook) => {
  const { body, mac } = airtable.ping(hook);
  const status = (await POST(pingRequest(body, mac))).status;
  await settleDeferredWork();
  return status;
};
const filtersOf = (hook: StandInWebhook) => (hook.specification as { options: { filters: Record<string, unknown> } }).options.filters;
const configHook = () => airtable.webhooks().find((hook) => !("watchDataInFieldIds" in filtersOf(hook)))!;
const statusHook = () => airtable.webhooks().find((hook) => "watchDataInFieldIds" in filtersOf(hook))!;
const knownWebhooks = async () =>
  (await getDatabase()).query<{ base_id: string; watches: string; webhook_id: string; expires_at: Date }>(
    "select base_id, watches, webhook_id, expires_at from internal.airtable_webhooks order by base_id, watches",
  );

beforeEach(async () => {
  vi.stubEnv("CRON_SECRET", SECRET);
  await setUpBase(settings());
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  const db = await getDatabase();
  await db.query("delete from internal.airtable_webhooks");
  await db.query("update public.tracking_numbers set pipeline_base_id = null");
  return () => vi.unstubAllEnvs();
});

describe("the daily webhook route", () => {
  it("creates a webhook on the config table, and one on the Lead Pipeline's Status that the app's own writes do not set off", async () => {
    expect(await refreshWebhooks()).toEqual([
      { baseId: settings().baseId, watches: "config", outcome: "created" },
      { baseId: settings().baseId, watches: "statuses", outcome: "created" },
    ]);
    const tables = await listTables(settings());
    const config = tables.find((table) => table.name === CONFIG_TABLE)!;
    const leads = tables.find((table) => table.name === LEAD_PIPELINE_TABLE)!;
    expect(configHook()).toMatchObject({
      notificationUrl: "https://leads.example.test/api/airtable/webhook",
      specification: { options: { filters: { dataTypes: ["tableData"], recordChangeScope: config.id } } },
    });
    const filters = filtersOf(statusHook());
    expect(filters).toMatchObject({ dataTypes: ["tableData"], recordChangeScope: leads.id, watchDataInFieldIds: [leads.fields.find((field) => field.name === P.status)!.id] });
    expect(filters.fromSources).toContain("client");
    expect(filters.fromSources).not.toContain("publicApi");
  });

  it("refreshes them the next day, pushing their expiry a week out again", async () => {
    await refreshWebhooks();
    const db = await getDatabase();
    await db.query("update internal.airtable_webhooks set expires_at = expires_at - interval '1 day'");

    expect((await refreshWebhooks()).map((outcome) => outcome.outcome)).toEqual(["refreshed", "refreshed"]);
    expect(airtable.webhooks()).toHaveLength(2);
    for (const hook of await knownWebhooks()) expect(hook.expires_at.getTime()).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600_000);
  });

  it.each([
    ["disabled", { isHookEnabled: false }, "Airtable had disabled the old one"],
    ["stopped pinging", { areNotificationsEnabled: false }, "Airtable had stopped the old one's pings"],
  ])("makes anew a webhook Airtable %s, deletes the old one, and verifies pings with the new secret", async (_, state, detail) => {
    await refreshWebhooks();
    const disabled = configHook();
    Object.assign(disabled, state);

    expect(await refreshWebhooks()).toEqual([
      { baseId: settings().baseId, watches: "config", outcome: "created", detail },
      { baseId: settings().baseId, watches: "statuses", outcome: "refreshed" },
    ]);
    expect(airtable.webhooks().map((hook) => hook.id)).not.toContain(disabled.id);
    expect(await sendPing(disabled)).toBe(401);
    expect(await sendPing(configHook())).toBe(204);
  });

  it("makes anew a webhook Airtable lost, and one that pings the deployment's old address", async () => {
    await refreshWebhooks();
    const lost = statusHook();
    await airtableAdminRequest(settings(), `/bases/${settings().baseId}/webhooks/${lost.id}`, undefined, { method: "DELETE", sharedPace: await getDatabase() });
    expect((await refreshWebhooks())[1]).toEqual({ baseId: settings().baseId, watches: "statuses", outcome: "created", detail: "Airtable no longer had the old one" });

    vi.stubEnv("PUBLIC_BASE_URL", "https://moved.example.test");
    expect((await refreshWebhooks()).map(({ outcome, detail }) => [outcome, detail])).toEqual([
      ["created", "the old one pinged https://leads.example.test/api/airtable/webhook"],
      ["created", "the old one pinged https://leads.example.test/api/airtable/webhook"],
    ]);
    expect(airtable.webhooks().map((hook) => hook.notificationUrl)).toEqual(["https://moved.example.test/api/airtable/webhook", "https://moved.example.test/api/airtable/webhook"]);
  });

  it("keeps a status webhook on a client's own pipeline base, whose ping pulls that base alone", async () => {
    const own = airtable.base("appClientOwnBase2");
    own.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    await addTrackingNumber({ clientId: "own-base", pipelineBaseId: own.id });

    expect((await refreshWebhooks()).map(({ baseId, watches, outcome }) => [baseId, watches, outcome])).toEqual([
      [settings().baseId, "config", "created"],
      [settings().baseId, "statuses", "created"],
      [own.id, "statuses", "created"],
    ]);
    const [ownHook] = own.webhooks();
    const [homeReads, ownReads] = [airtable.requests.length, own.requests.length];
    expect(await sendPing(ownHook)).toBe(204);
    expect(airtable.requests.length).toBe(homeReads);
    expect(own.requests.slice(ownReads).map((request) => request.url)).toEqual([expect.stringMatching(/^\/v0\/appClientOwnBase2\/Lead%20Pipeline\?/)]);
  });

  it("says why it cannot keep a webhook, and forgets it so that part is synced on every run again", async () => {
    await refreshWebhooks();
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS.filter((field) => typeof field === "string" || (field.name !== P.status && field.name !== P.statusModified)));
    statusHook().isHookEnabled = false;

    expect((await refreshWebhooks())[1]).toEqual({
      baseId: settings().baseId,
      watches: "statuses",
      outcome: "failed",
      detail: `"${LEAD_PIPELINE_TABLE}" in base ${settings().baseId} has no "Status" field: run npm run airtable:setup first.`,
    });
    expect((await knownWebhooks()).map((hook) => hook.watches)).toEqual(["config"]);
  });
});

describe("an Airtable ping", () => {
  it("syncs the snapshot right after a genuine config ping, so a new row routes", async () => {
    await refreshWebhooks();
    airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: "+15125554001", [F.clientId]: "pinged", [F.primaryNumber]: "+12145550100", [F.active]: true });

    expect(await sendPing(configHook())).toBe(204);
    const db = await getDatabase();
    expect(await db.query("select client_id from public.tracking_numbers where phone_number = '+15125554001'")).toEqual([{ client_id: "pinged" }]);
  });

  it("is refused with a wrong or missing MAC, or from a webhook it does not know, and syncs nothing", async () => {
    await refreshWebhooks();
    const hook = configHook();
    const { body, mac } = airtable.ping(hook);
    const forged = body.replace(hook.id, "achUnknown00000");
    const before = airtable.requests.length;

    expect((await POST(pingRequest(body, mac.replace(/.$/, (c) => (c === "0" ? "1" : "0"))))).status).toBe(401);
    expect((await POST(pingRequest(body))).status).toBe(401);
    expect((await POST(pingRequest(forged, mac))).status).toBe(401);
    expect((await POST(pingRequest("not json", mac))).status).toBe(400);
    await settleDeferredWork();
    expect(airtable.requests.length).toBe(before);
  });

  it("from a webhook whose secret the database lost is refused, and the next daily run makes a new one", async () => {
    await refreshWebhooks();
    const orphan = configHook();
    await (await getDatabase()).query("delete from internal.airtable_webhooks where watches = 'config'");
    expect(await sendPing(orphan)).toBe(401);
    expect((await refreshWebhooks())[0]).toMatchObject({ watches: "config", outcome: "created" });
    const made = airtable.webhooks().find((hook) => hook.id !== orphan.id && !("watchDataInFieldIds" in filtersOf(hook)))!;
    expect(await sendPing(made)).toBe(204);
  });
});
