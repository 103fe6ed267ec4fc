import { describe, expect, it, vi } from "vitest";
import { estimateMonthlyCalls } from "@/lib/airtable/estimate-monthly-calls";

// The estimate reads the schedule and the constants the code runs on; change them and it changes.
vi.mock("@/vercel.json", () => ({
  default: { crons: [{ path: "/api/cron/sync-config", schedule: "*/10 * * * *" }, { path: "/api/cron/airtable-webhook", schedule: "0 3 * * *" }] },
}));
vi.mock("@/lib/airtable/scheduled-sync-turn", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/airtable/scheduled-sync-turn")>()),
  SYNC_EVERY_MS_WITH_WEBHOOK: 2 * 3600_000,
}));
vi.mock("@/lib/airtable/list-all-records", () => ({ LIST_PAGE_SIZE: 10 }));
vi.mock("@/lib/airtable/upsert-pipeline-records", () => ({ MAX_RECORDS_PER_REQUEST: 5 }));

describe("the Airtable budget's sources", () => {
  it("counts from vercel.json's schedule, the cadence with a webhook, the page size and the batch size", () => {
    const estimate = estimateMonthlyCalls({ clients: 20, calls: 3000, texts: 2000, numbers: 20, pipelineBases: 1, configEdits: 0, statusEdits: 0, newNumbers: 0 });
    const line = (item: string) => estimate.lines.find((candidate) => candidate.item === item)!;
    // Every 10 minutes: 144 runs a day; every 2 hours with the webhook: 12; 20 rows in pages of 10: 2 requests each.
    expect(line("config sync")).toMatchObject({ withoutWebhook: 30 * 144 * 2, withWebhook: 30 * 12 * 2 });
    expect(line("status pulls")).toMatchObject({ withoutWebhook: 30 * 144, withWebhook: 30 * 12 });
    expect(line("config sync").how).toBe("every 10 minutes without a webhook, every 2 hours with one; 2 requests of up to 10 rows for 20 rows");
    expect(estimate.fewestUpserts).toBe(8000 / 5);
  });
});
