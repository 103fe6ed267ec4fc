// A client's pool of tracking numbers as its visitors meet it, written once and run on the
// embedded database (pool-leases.test.ts) and on PostgreSQL (pool-leases.pg.test.ts): leasing,
// reloads, heartbeats, expiry, least-recently-used order, and an exhausted pool's fallback.
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { HEARTBEAT_SECONDS, LEASE_SECONDS } from "@/lib/tracking/tracking-limits";
import { ageLeases, askForNumber, GOOGLE_AD_CLICK, leaseEnds, openPoolSite, sendHeartbeat, visitorId } from "./tracking-lab";
import { phoneNumber } from "../support/tracking-numbers";

/** Near a full lease from now: the database's clock moves on a little while the test runs. */
function expectAFullLease(seconds: number): void {
  expect(seconds).toBeGreaterThan(LEASE_SECONDS - 60);
  expect(seconds).toBeLessThanOrEqual(LEASE_SECONDS);
}

export function describePoolScenarios(): void {
  afterAll(closeDatabase);

  describe("a pool of tracking numbers", () => {
    it("leases a visitor from the ad one number, with a heartbeat, and a reload keeps it", async () => {
      const site = await openPoolSite(3);
      const visitor = visitorId();
      const first = await askForNumber(site, visitor, GOOGLE_AD_CLICK);
      expect(first.body).toEqual({ number: site.pool[0], replace: [site.primaryNumber], heartbeat: HEARTBEAT_SECONDS });

      await ageLeases(site.pool, 10);
      const reload = await askForNumber(site, visitor, { ...GOOGLE_AD_CLICK, landing: `${site.origin}/contact` });
      expect(reload.body.number).toBe(site.pool[0]);
      expectAFullLease((await leaseEnds([site.pool[0]]))[site.pool[0]]);

      const db = await getDatabase();
      const leases = await db.query<{ tracking_number: string; source: string; landing_page: string }>(
        "select l.tracking_number, l.source, v.landing_page from public.visit_leases l join public.visits v on v.id = l.visit_id where l.client_id = $1",
        [site.clientId],
      );
      expect(leases).toEqual([{ tracking_number: site.pool[0], source: "Google Ads", landing_page: `${site.origin}/contact` }]);
    });

    it("hands out the free number whose lease ended longest ago, never-leased numbers first", async () => {
      const site = await openPoolSite(3);
      const firstVisitors = [];
      for (let n = 0; n < 3; n += 1) firstVisitors.push((await askForNumber(site, visitorId(), GOOGLE_AD_CLICK)).body.number);
      expect(firstVisitors).toEqual(site.pool);

      await ageLeases([site.pool[0]], 31);
      await ageLeases([site.pool[1]], 50);
      await ageLeases([site.pool[2]], 40);
      const next = [];
      for (let n = 0; n < 3; n += 1) next.push((await askForNumber(site, visitorId(), GOOGLE_AD_CLICK)).body.number);
      expect(next).toEqual([site.pool[1], site.pool[2], site.pool[0]]);
    });

    it("extends a lease with each heartbeat, to 30 minutes from the heartbeat", async () => {
      const site = await openPoolSite(1);
      const visitor = visitorId();
      const number = (await askForNumber(site, visitor, GOOGLE_AD_CLICK)).body.number!;
      await ageLeases([number], 29);
      expect((await leaseEnds([number]))[number]).toBeLessThanOrEqual(60);

      const beat = await sendHeartbeat(site, visitor, number);
      expect(beat.status).toBe(200);
      expect(beat.body).toEqual({ held: true });
      expect(beat.headers.get("access-control-allow-origin")).toBe(site.origin);
      expectAFullLease((await leaseEnds([number]))[number]);
      const db = await getDatabase();
      const [held] = await db.query<{ seconds: number }>(
        "select round(extract(epoch from expires_at - now()))::int as seconds from public.visit_leases where tracking_number = $1",
        [number],
      );
      expectAFullLease(held.seconds);
    });

    it("ends a lease 30 minutes after the last heartbeat: the number goes to the next visitor, and the old holder's heartbeat hears so", async () => {
      const site = await openPoolSite(1);
      const [holder, next] = [visitorId(), visitorId()];
      const number = (await askForNumber(site, holder, GOOGLE_AD_CLICK)).body.number!;
      expect((await askForNumber(site, next, GOOGLE_AD_CLICK)).body.number).toBe(site.sourceNumber);

      await ageLeases([number], 30);
      expect((await askForNumber(site, next, GOOGLE_AD_CLICK)).body).toMatchObject({ number, heartbeat: HEARTBEAT_SECONDS });
      expect((await sendHeartbeat(site, holder, number)).body).toEqual({ held: false });
      expect((await sendHeartbeat(site, next, number)).body).toEqual({ held: true });
      expect((await askForNumber(site, holder, GOOGLE_AD_CLICK)).body).toEqual({ number: site.sourceNumber, replace: [site.primaryNumber], heartbeat: null });
    });

    it("answers held: false to the holder's heartbeat once its number is released or unticked, so the page asks again", async () => {
      const site = await openPoolSite(1);
      const visitor = visitorId();
      const number = (await askForNumber(site, visitor, GOOGLE_AD_CLICK)).body.number!;
      const db = await getDatabase();
      await db.query("update public.tracking_numbers set active = false where phone_number = $1", [number]);

      expect((await sendHeartbeat(site, visitor, number)).body).toEqual({ held: false });
    });

    it("answers held: false to a heartbeat for a number the visitor never held, and leaves the holder's lease alone", async () => {
      const site = await openPoolSite(1);
      const number = (await askForNumber(site, visitorId(), GOOGLE_AD_CLICK)).body.number!;
      await ageLeases([number], 5);
      const before = await leaseEnds([number]);
      expect((await sendHeartbeat(site, visitorId(), number)).body).toEqual({ held: false });
      expect(await leaseEnds([number])).toEqual(before);
    });

    it("gives an exhausted pool's visitors the pool's Fallback Number, recording one exhaustion per visit in 30 minutes", async () => {
      const fallbackNumber = phoneNumber("512");
      const site = await openPoolSite(1, { fallbackNumber });
      await askForNumber(site, visitorId(), GOOGLE_AD_CLICK);
      const late = visitorId();
      for (let n = 0; n < 2; n += 1) {
        expect((await askForNumber(site, late, GOOGLE_AD_CLICK)).body).toEqual({ number: fallbackNumber, replace: [site.primaryNumber], heartbeat: null });
      }
      await askForNumber(site, visitorId(), GOOGLE_AD_CLICK);

      const db = await getDatabase();
      const exhaustions = await db.query<{ source: string; visitor_id: string }>(
        "select e.source, v.visitor_id from public.pool_exhaustions e join public.visits v on v.id = e.visit_id where e.client_id = $1",
        [site.clientId],
      );
      expect(exhaustions).toHaveLength(2);
      expect(exhaustions).toContainEqual({ source: "Google Ads", visitor_id: late });
    });

    it("falls back to the same source's Source row without a Fallback Number, and keeps the page's number with neither", async () => {
      const withSourceRow = await openPoolSite(1);
      const bare = await openPoolSite(1, { sourceRow: false });
      for (const site of [withSourceRow, bare]) await askForNumber(site, visitorId(), GOOGLE_AD_CLICK);
      expect((await askForNumber(withSourceRow, visitorId(), GOOGLE_AD_CLICK)).body.number).toBe(withSourceRow.sourceNumber);
      expect((await askForNumber(bare, visitorId(), GOOGLE_AD_CLICK)).body.number).toBeNull();
    });

    it("leases only to its own source's visitors: others get their own rows' numbers", async () => {
      const site = await openPoolSite(2);
      expect((await askForNumber(site, visitorId(), { fbclid: "IwAR0" })).body).toEqual({ number: null, replace: [site.primaryNumber], heartbeat: null });
      const db = await getDatabase();
      expect(await db.query("select visit_id from public.number_leases where tracking_number = any($1)", [site.pool])).toEqual([{ visit_id: null }, { visit_id: null }]);
    });
  });
}
