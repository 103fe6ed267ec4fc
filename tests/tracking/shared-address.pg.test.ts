// Page views from one address (an office behind one NAT, a phone carrier's gateway) reach every
// instance, and every instance counts them on one row in Postgres. Found by `npm run bench:scale`:
// when the count's row stayed locked for the whole session, the address's requests queued behind
// each other across instances, and on a busy machine the queue outlasted the database deadline,
// so pages got 503s and some requests were never counted.
import pg from "pg";
import { expect, it } from "vitest";
import { openPostgresDatabase } from "@/lib/db/open-postgres-database";
import { readSiteConfig } from "@/lib/tracking/read-site-config";
import { startTrackingSession } from "@/lib/tracking/start-tracking-session";
import { address, GOOGLE_AD_CLICK, openPoolSite, visitorId } from "./tracking-lab";

it("answers a page view from an address while another visitor's lease from that address is held up", async () => {
  const site = await openPoolSite(2);
  const [paidInstance, directInstance] = [0, 1].map(() => openPostgresDatabase(process.env.DATABASE_URL!, { deadlineMs: 0, max: 1 }));
  // One connection holds the lock; another watches, outside any transaction, so it sees each wait as it starts.
  const [holder, watcher] = [0, 1].map(() => new pg.Client({ connectionString: process.env.DATABASE_URL }));
  await Promise.all([holder.connect(), watcher.connect()]);
  const lockWaits = async () =>
    (
      await watcher.query<{ waiting: number }>(
        "select count(*)::int as waiting from pg_locks l join pg_stat_activity a using (pid) where not l.granted and a.datname = current_database()",
      )
    ).rows[0].waiting;
  try {
    const config = (await readSiteConfig(paidInstance, site.clientId))!;
    const office = address();
    const visit = (db: typeof paidInstance, touch: object) =>
      startTrackingSession({ db, site: config, body: { client: site.clientId, visitor: visitorId(), touch: { at: Date.now(), landing: `${site.origin}/`, ...touch }, page: `${site.origin}/` }, ip: office });

    // The pool's leases are held still, so the ad click from the office waits to take a number.
    await holder.query("begin");
    await holder.query("lock table public.number_leases in exclusive mode");
    const paid = visit(paidInstance, GOOGLE_AD_CLICK);
    while ((await lockWaits()) < 1) await new Promise((resolve) => setTimeout(resolve, 5));

    // A direct visit from the same office, on another instance, needs no lease.
    const direct = visit(directInstance, {});
    const first = await Promise.race([direct, (async () => {
      while ((await lockWaits()) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      return "queued behind the ad click" as const;
    })()]);
    expect(first).toEqual({ answer: { number: null, replace: expect.any(Array), heartbeat: null } });

    await holder.query("commit");
    expect(await paid).toMatchObject({ answer: { number: expect.stringMatching(/^\+1/), heartbeat: 60 } });
    const [{ hits }] = (await holder.query<{ hits: number }>("select sum(hits)::int as hits from internal.rate_limits where key = $1", [`track:${office}`])).rows;
    expect(hits).toBe(2);
  } finally {
    await holder.query("rollback").catch(() => {});
    await Promise.all([holder.end(), watcher.end()]);
    await Promise.all([paidInstance.close(), directInstance.close()]);
  }
});
