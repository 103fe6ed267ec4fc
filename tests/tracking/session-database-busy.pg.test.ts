// A database that cannot answer in time costs a page nothing but its tracked number: the session
// answers 503 with Retry-After at the deadline, not a bare 500 after however long it takes.
import pg from "pg";
import { expect, it } from "vitest";
import { askForNumber, GOOGLE_AD_CLICK, openPoolSite, visitorId } from "./tracking-lab";

it("answers 503 with Retry-After while the pool's leases are locked past the deadline, and a number once they are free", async () => {
  const site = await openPoolSite(2);
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  try {
    await holder.query("begin");
    await holder.query("lock table public.number_leases in access exclusive mode");
    const busy = await askForNumber(site, visitorId(), GOOGLE_AD_CLICK);
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(busy.body).toEqual({ error: "Tracking is busy: try again shortly." });
    await holder.query("rollback");

    const free = await askForNumber(site, visitorId(), GOOGLE_AD_CLICK);
    expect(free.status).toBe(200);
    expect(site.pool).toContain(free.body.number);
  } finally {
    await holder.end();
  }
});
