import { afterEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/follow-ups/route";
import { getDatabase } from "@/lib/db/get-database";
import { useRemoteServices } from "../support/remote-services";
import { address } from "./tracking-lab";

useRemoteServices();
afterEach(() => vi.unstubAllEnvs());

describe("the every-minute follow-ups job", () => {
  it("deletes the tracking endpoints' rate-limit windows that ended over a minute ago, keeping the current one's count", async () => {
    const db = await getDatabase();
    const [ended, current] = [`track:${address()}`, `track:${address()}`];
    await db.query(
      `insert into internal.rate_limits (key, window_start, hits) values
         ($1, date_trunc('minute', now()) - interval '2 minutes', 120), ($1, date_trunc('minute', now()) - interval '1 hour', 3),
         ($2, date_trunc('minute', now()), 7)`,
      [ended, current],
    );
    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    const response = await GET(new Request("http://10.0.0.7/api/cron/follow-ups", { headers: { authorization: "Bearer cron-secret-123" } }));

    expect(await response.json()).toMatchObject({ oldRateLimitWindows: 2 });
    expect(await db.query("select key, hits from internal.rate_limits where key = any($1)", [[ended, current]])).toEqual([{ key: current, hits: 7 }]);
  });
});
