import { describe, expect, it } from "vitest";
import { estimateMonthlyCalls, planFor, type BudgetInput } from "@/lib/airtable/estimate-monthly-calls";
import { runScript } from "../support/run-command";

// The example: 20 clients, 3,000 calls and 2,000 texts a month.
const EXAMPLE: BudgetInput = { clients: 20, calls: 3000, texts: 2000, numbers: 20, pipelineBases: 1, configEdits: 20, statusEdits: 3000, newNumbers: 20 };
const line = (input: BudgetInput, item: string) => estimateMonthlyCalls(input).lines.find((candidate) => candidate.item === item)!;

describe("the Airtable budget", () => {
  it("reproduces the issue: without the webhook the 5-minute config sync alone is over 8,000 calls a month, hourly with it", () => {
    expect(line(EXAMPLE, "config sync")).toMatchObject({ withoutWebhook: 8640, withWebhook: 720 });
    expect(line(EXAMPLE, "config sync").withoutWebhook).toBeGreaterThan(8000);
    expect(line(EXAMPLE, "status pulls")).toMatchObject({ withoutWebhook: 8640, withWebhook: 720 });
    expect(line(EXAMPLE, "webhook refresh")).toMatchObject({ withoutWebhook: 0, withWebhook: 90 });
    expect(estimateMonthlyCalls(EXAMPLE)).toMatchObject({
      totals: { withoutWebhook: 25_300, withWebhook: 12_570 },
      idle: { withoutWebhook: 17_280, withWebhook: 1_530 },
      plans: { withoutWebhook: "Team", withWebhook: "Team" },
    });
  });

  it("follows the inputs: pages of 100 config rows, bases, contacts, edits and new numbers", () => {
    expect(line({ ...EXAMPLE, numbers: 100 }, "config sync").withoutWebhook).toBe(8640);
    expect(line({ ...EXAMPLE, numbers: 101 }, "config sync")).toMatchObject({ withoutWebhook: 2 * 8640, withWebhook: 2 * 720 });
    expect(line({ ...EXAMPLE, numbers: 101 }, "config pings").withWebhook).toBe(2 * 20);
    expect(line({ ...EXAMPLE, pipelineBases: 3 }, "status pulls")).toMatchObject({ withoutWebhook: 3 * 8640, withWebhook: 3 * 720 });
    expect(line({ ...EXAMPLE, pipelineBases: 3 }, "webhook refresh").withWebhook).toBe(30 * 7);
    expect(line({ ...EXAMPLE, calls: 6000 }, "pipeline upserts").withoutWebhook).toBe(6000 * 2 + 2000);
    expect(line({ ...EXAMPLE, texts: 0 }, "pipeline upserts").withWebhook).toBe(6000);
    expect(estimateMonthlyCalls({ ...EXAMPLE, texts: 0 }).fewestUpserts).toBe(600);
    expect(line({ ...EXAMPLE, statusEdits: 12 }, "status pings")).toMatchObject({ withoutWebhook: 0, withWebhook: 12 });
    expect(line({ ...EXAMPLE, newNumbers: 7 }, "config read-through")).toMatchObject({ withoutWebhook: 7, withWebhook: 7 });
  });

  it("names the smallest plan that carries the calls", () => {
    expect([0, 1000, 1001, 100_000, 100_001].map(planFor)).toEqual(["Free", "Free", "Team", "Team", "Business"]);
    expect(estimateMonthlyCalls({ ...EXAMPLE, calls: 45_000, statusEdits: 0 }).plans).toEqual({ withoutWebhook: "Business", withWebhook: "Team" });
  });
});

describe("npm run airtable:budget", () => {
  it("prints each kind of call a month without and with the webhook, and the plan each needs", async () => {
    const run = await runScript("airtable-budget", ["--clients", "20", "--calls", "3000", "--texts", "2000"], { env: {} });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("Airtable API calls a month (30 days) for 20 clients: 3,000 calls and 2,000 texts, 20 tracking numbers, 1 pipeline base.");
    for (const [item, without, withHook] of [
      ["config sync", "8,640", "720"],
      ["config pings", "0", "20"],
      ["status pulls", "8,640", "720"],
      ["status pings", "0", "3,000"],
      ["webhook refresh", "0", "90"],
      ["pipeline upserts", "8,000", "8,000"],
      ["config read-through", "20", "20"],
      ["total", "25,300", "12,570"],
    ]) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${item} +${without} +${withHook}( |$)`)));
    }
    expect(run.stdout).toContain("Plan needed: Team without the webhook, Team with it");
    expect(run.stdout).toContain("The schedules alone, with no calls, texts or edits: 17,280 a month without the webhook, 1,530 with it.");
  });

  it("takes the optional counts, so a bigger agency sees a bigger plan", async () => {
    const run = await runScript("airtable-budget", ["--clients", "200", "--calls", "30000", "--texts", "20000", "--numbers", "450", "--bases", "3", "--status-edits", "5000"], { env: {} });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^config sync +43,200 +3,600 /m);
    expect(run.stdout).toContain("Plan needed: Business without the webhook, Team with it");
  });

  it.each([
    [["--calls", "3000", "--texts", "2000"], "--clients is required"],
    [["--clients", "twenty", "--calls", "3000", "--texts", "2000"], '--clients must be a whole number, such as --clients 20 (got "twenty")'],
    [["--clients", "20", "--calls", "-5", "--texts", "2000"], "--calls needs a whole number after it, such as --calls 20"],
    [["--clients", "20", "--calls=-5", "--texts", "2000"], '--calls must be a whole number, such as --calls 20 (got "-5")'],
    [["--clients", "20", "--calls", "3000", "--texts", "2000", "--bases", "0"], "--bases must be at least 1: your own base holds a Lead Pipeline"],
    [["--clients", "20", "--calls", "3000", "--texts", "2000", "--calls-a-day", "100"], "--calls-a-day is not one of this command's flags (they are listed below)"],
    [["--clients", "20", "--calls", "3000", "--texts"], "--texts needs a whole number after it, such as --texts 20"],
    [["--clients", "20", "--calls", "3000", "--texts", "2000", "30"], "Unexpected argument '30'"],
  ])("refuses %j in plain words, with the usage, and prints no estimate", async (args, message) => {
    const run = await runScript("airtable-budget", args, { env: {} });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("usage: npm run airtable:budget -- --clients 20 --calls 3000 --texts 2000");
    expect(run.stdout).toBe("");
  });
});
