// How often the scheduled sync talks to Airtable, written once and run on the embedded database
// (sync-cadence.test.ts) and on PostgreSQL (sync-cadence.pg.test.ts): every 5-minute run without
// a webhook, hourly while the webhooks are live. Time passes by moving the stored sync and expiry
// times back, as the database's own clock would see them an hour on; Airtable's side is the
// stand-in, whose request log is what is counted.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as syncCron } from "@/app/api/cron/sync-config/route";
import { GET as webhookCron } from "@/app/api/cron/airtable-webhook/route";
import { POST as ping } from "@/app/api/airtable/webhook/route";
import { CONFIG_FIELDS as C } from "@/lib/airtable/config-fields";
import { PIPELINE_FIELDS as P } from "@/lib/airtable/pipeline-fields";
import { setUpBase } from "@/lib/airtable/set-up-base";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { lookupTrackingNumber } from "@/lib/config/lookup-tracking-number";
import { settleDeferredWork } from "../support/deferred-work";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";
import type { StandInWebhook } from "../support/stand-ins/airtable/webhooks";
import { phoneNumber } from "../support/tracking-numbers";

const SECRET = "cadence-cron-secret";

export function describeSyncCadenceScenarios(): void {
  const { airtable } = useRemoteServices();
  const settings = () => serverEnv().airtable!;
  const bearer = { authorization: `Bearer ${SECRET}` };

  const runSync = async () => (await syncCron(new Request("http://10.0.0.7/api/cron/sync-config", { headers: bearer }))).json();
  const registerWebhooks = async () => (await webhookCron(new Request("http://10.0.0.7/api/cron/airtable-webhook", { headers: bearer }))).json();

  /** Airtable requests since `from` in the log: listings of the config table, and status pulls of the Lead Pipeline. */
  const countSince = (from: number) => {
    const reads = airtable.requests.slice(from).filter((request) => request.method === "GET");
    return {
      configListings: reads.filter((request) => request.url.startsWith(`/v0/${settings().baseId}/${encodeURIComponent(CONFIG_TABLE)}?`)).length,
      statusPulls: reads.filter((request) => request.url.startsWith(`/v0/${settings().baseId}/${encodeURIComponent(LEAD_PIPELINE_TABLE)}?`)).length,
    };
  };
  /** One cron run and what it asked Airtable for. */
  const runSyncCounting = async () => {
    const from = airtable.requests.length;
    const report = await runSync();
    return { report, ...countSince(from) };
  };

  async function minutesPass(minutes: number): Promise<void> {
    const db = await getDatabase();
    await db.query(
      `update internal.airtable_syncs set synced_at = synced_at - $1 * interval '1 minute', claimed_until = claimed_until - $1 * interval '1 minute'`,
      [minutes],
    );
    await db.query("update internal.airtable_webhooks set expires_at = expires_at - $1 * interval '1 minute'", [minutes]);
  }

  const sendPing = async (hook: StandInWebhook) => {
    const { body, mac } = airtable.ping(hook);
    const answer = await ping(new Request("http://10.0.0.7/api/airtable/webhook", { method: "POST", headers: { "x-airtable-content-mac": mac }, body }));
    await settleDeferredWork();
    return answer.status;
  };
  /** Our webhook on the config table, or on the Lead Pipeline's Status (the one that watches a field). */
  const hookWatching = (watches: "config" | "statuses") =>
    airtable.webhooks().find((hook) => "watchDataInFieldIds" in (hook.specification as { options: { filters: object } }).options.filters === (watches === "statuses"))!;

  beforeEach(async () => {
    vi.stubEnv("CRON_SECRET", SECRET);
    await setUpBase(settings());
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    airtable.addRow(CONFIG_TABLE, { [C.trackingNumber]: phoneNumber("512"), [C.clientId]: "cadence", [C.primaryNumber]: "+12145550100", [C.active]: true });
    const db = await getDatabase();
    await db.query("delete from internal.airtable_webhooks");
    await db.query("delete from internal.airtable_syncs");
    await db.query("delete from internal.pipeline_pulls");
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  describe("the scheduled Airtable sync", () => {
    it("without a webhook, lists the config table and pulls statuses on every 5-minute run", async () => {
      const runs = [];
      for (let run = 0; run < 3; run += 1) {
        runs.push(await runSyncCounting());
        await minutesPass(5);
      }
      expect(runs.map(({ configListings, statusPulls }) => [configListings, statusPulls])).toEqual([[1, 1], [1, 1], [1, 1]]);
      expect(runs[2].report).toMatchObject({ config: { rows: 1, synced: 1 }, statuses: { bases: 1, notDue: 0 } });
    });

    it("with the webhooks registered, talks to Airtable once an hour: the runs in between leave it alone", async () => {
      expect((await registerWebhooks()).webhooks).toMatchObject([
        { watches: "config", outcome: "created" },
        { watches: "statuses", outcome: "created" },
      ]);
      const runs = [await runSyncCounting()];
      for (let minute = 5; minute <= 65; minute += 5) {
        await minutesPass(5);
        runs.push(await runSyncCounting());
      }
      // Runs at 0, 5, …, 65 minutes: the first finds no full sync yet, the next at 60 minutes.
      expect(runs.map((run) => run.configListings)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
      expect(runs.map((run) => run.statusPulls)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
      expect(runs[1].report).toMatchObject({
        config: { notDue: expect.stringContaining("its webhook is live: changes arrive by ping, and the next full sync is at") },
        statuses: { bases: 0, notDue: 1 },
      });
    });

    it("syncs a part at once when its webhook pings, and counts the hour from there", async () => {
      await registerWebhooks();
      await runSync();
      await minutesPass(30);

      const added = phoneNumber("512");
      airtable.addRow(CONFIG_TABLE, { [C.trackingNumber]: added, [C.clientId]: "pinged", [C.primaryNumber]: "+12145550111", [C.active]: true });
      const from = airtable.requests.length;
      expect(await sendPing(hookWatching("config"))).toBe(204);
      expect(countSince(from)).toEqual({ configListings: 1, statusPulls: 0 });
      expect(await lookupTrackingNumber(added)).toMatchObject({ clientId: "pinged" });

      const pulledFrom = airtable.requests.length;
      expect(await sendPing(hookWatching("statuses"))).toBe(204);
      expect(countSince(pulledFrom)).toEqual({ configListings: 0, statusPulls: 1 });

      // An hour after the scheduled sync, half an hour after the pings: neither part is due yet.
      await minutesPass(30);
      expect(await runSyncCounting()).toMatchObject({ configListings: 0, statusPulls: 0 });
      await minutesPass(30);
      expect(await runSyncCounting()).toMatchObject({ configListings: 1, statusPulls: 1 });
    });

    it("goes back to every run when the webhook has expired, or pings another address", async () => {
      await registerWebhooks();
      await runSync();
      await minutesPass(5);
      expect(await runSyncCounting()).toMatchObject({ configListings: 0, statusPulls: 0 });

      await (await getDatabase()).query("update internal.airtable_webhooks set expires_at = now() - interval '1 second' where watches = 'config'");
      await minutesPass(5);
      expect(await runSyncCounting()).toMatchObject({ configListings: 1, statusPulls: 0 });

      vi.stubEnv("PUBLIC_BASE_URL", "https://moved.example.test");
      await minutesPass(5);
      expect(await runSyncCounting()).toMatchObject({ configListings: 1, statusPulls: 1 });
    });

    it("leaves the next run due when a sync fails, and does the hourly work once when runs start together", async () => {
      await registerWebhooks();
      airtable.goDown(503);
      await expect(runSync()).rejects.toMatchObject({ statusCode: 503 });
      airtable.recover();
      await minutesPass(5);
      expect(await runSyncCounting()).toMatchObject({ configListings: 1 });

      // The hour is up: however the three runs interleave, one takes each part's turn.
      await minutesPass(60);
      const from = airtable.requests.length;
      await Promise.all([runSync(), runSync(), runSync()]);
      expect(countSince(from)).toEqual({ configListings: 1, statusPulls: 1 });
    });

    it("pulls the statuses staff changed by hand when the hour comes, so a missed ping costs at most an hour", async () => {
      await registerWebhooks();
      await runSync();
      airtable.addRow(LEAD_PIPELINE_TABLE, { [P.leadKey]: "cadence:+15125550177", [P.status]: "Won" });
      await minutesPass(55);
      expect((await runSyncCounting()).statusPulls).toBe(0);
      await minutesPass(5);
      const run = await runSyncCounting();
      expect(run.statusPulls).toBe(1);
      expect(run.report.statuses).toMatchObject({ rows: 1 });
    });
  });
}
