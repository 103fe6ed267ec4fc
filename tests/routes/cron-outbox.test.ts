import { afterEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/outbox/route";

const cronRequest = (authorization?: string) =>
  new Request("http://10.0.0.7:8080/api/cron/outbox", { headers: authorization ? { authorization } : {} });

afterEach(() => vi.unstubAllEnvs());

describe("GET /api/cron/outbox", () => {
  it("is off, saying why, until CRON_SECRET is set", async () => {
    const response = await GET(cronRequest("Bearer anything"));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "CRON_SECRET is not set, so scheduled jobs are off" });
  });

  it.each([undefined, "Bearer wrong-secret", "cron-secret-123", "Bearer cron-secret-1234"])("refuses Authorization %j", async (authorization) => {
    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    const response = await GET(cronRequest(authorization));
    expect(response.status).toBe(401);
  });

  it("drains the outbox for Vercel Cron's bearer secret", async () => {
    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    const response = await GET(cronRequest("Bearer cron-secret-123"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ rounds: 0, delivered: 0, failed: 0, postponed: 0, requests: 0 });
  });
});
