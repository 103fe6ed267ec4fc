import { describe, expect, it } from "vitest";
import { runVitest } from "../support/run-command";

describe("npm run test:live", () => {
  it("without a real base, says what to set and fails, so a run that tested nothing never passes", async () => {
    const run = await runVitest(["run", "--project", "live"], { env: { AIRTABLE_LIVE_BASE_ID: "appLiveBase000001" }, timeoutMs: 60_000 });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout + run.stderr).toContain("npm run test:live needs AIRTABLE_LIVE_TOKEN.");
    expect(run.stdout + run.stderr).toContain("data.records:write");
  });
});
