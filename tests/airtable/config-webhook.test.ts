import { beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/airtable/webhook/route";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { registerConfigWebhook } from "@/lib/airtable/register-config-webhook";
import { listTables } from "@/lib/airtable/meta-api";
import { setUpBase } from "@/lib/airtable/set-up-base";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { settleDeferredWork } from "../support/deferred-work";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";

const { airtable } = useRemoteServices();
const settings = () => serverEnv().airtable!;
const register = async () => registerConfigWebhook(await getDatabase(), settings(), serverEnv().publicBaseUrl);

const pingRequest = (body: string, mac?: string) =>
  new Request("http://10.0.0.7/api/airtable/webhook", { method: "POST", headers: { "content-type": "application/json", ...(mac ? { "x-airtable-content-mac": mac } : {}) }, body });

beforeEach(async () => {
  await setUpBase(settings());
  await (await getDatabase()).query("delete from internal.airtable_webhooks");
});

describe("the Airtable webhook on the Client Configuration table", () => {
  it("is created on that table once, then refreshed", async () => {
    expect(await register()).toBe("created");
    const [hook] = airtable.webhooks();
    const configTableId = (await listTables(settings())).find((table) => table.name === CONFIG_TABLE)!.id;
    expect(hook).toMatchObject({
      notificationUrl: "https://leads.example.test/api/airtable/webhook",
      specification: { options: { filters: { dataTypes: ["tableData"], recordChangeScope: configTableId } } },
    });

    expect(await register()).toBe("refreshed");
    expect(airtable.webhooks()).toHaveLength(1);
  });

  it("syncs the snapshot right after a genuine ping, so a new row routes", async () => {
    await register();
    airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: "+15125554001", [F.clientId]: "pinged", [F.primaryNumber]: "+12145550100", [F.active]: true });
    const { body, mac } = airtable.ping(airtable.webhooks()[0]);

    const response = await POST(pingRequest(body, mac));
    expect(response.status).toBe(204);
    await settleDeferredWork();
    const db = await getDatabase();
    expect(await db.query("select client_id from public.tracking_numbers where phone_number = '+15125554001'")).toEqual([{ client_id: "pinged" }]);
  });

  it("refuses a ping with a wrong or missing MAC, or from a webhook it does not know, and syncs nothing", async () => {
    await register();
    const hook = airtable.webhooks()[0];
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

  it("creates a new webhook when the kept secret is gone, since Airtable shows it only once", async () => {
    await register();
    await (await getDatabase()).query("delete from internal.airtable_webhooks");
    expect(await register()).toBe("created");
  });
});
