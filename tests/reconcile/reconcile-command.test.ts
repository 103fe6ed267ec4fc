import { describe, expect, it } from "vitest";
import { parseReconcileWindow } from "@/lib/reconcile/reconcile-window";
import { runReconcile } from "../support/run-command";

describe("npm run reconcile", () => {
  it.each([
    ["30m", 30 * 60_000],
    ["6h", 6 * 60 * 60_000],
    ["2d", 2 * 24 * 60 * 60_000],
    ["24h", 24 * 60 * 60_000],
  ])("reads --since %s as a window", (since, ms) => {
    expect(parseReconcileWindow(since)).toBe(ms);
  });

  it.each(["90", "2w", "-3h", "0h", "1.5h", "h", "6 hours", ""])("takes %j for no window", (since) => {
    expect(parseReconcileWindow(since)).toBeUndefined();
  });

  it("refuses a window it cannot read, saying what one looks like", async () => {
    const run = await runReconcile(["--since", "2w"], { env: {}, timeoutMs: 60_000 });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--since 2w is not a window: give a whole number of minutes, hours or days, such as 30m, 6h or 2d.");
  });

  it("needs DATABASE_URL, and says how to reconcile through the running server instead", async () => {
    const run = await runReconcile(["--since", "6h"], { env: { TWILIO_AUTH_TOKEN: "test-auth-token" }, timeoutMs: 60_000 });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("npm run reconcile needs DATABASE_URL");
    expect(run.stderr).toContain("/api/cron/reconcile");
  });
});
