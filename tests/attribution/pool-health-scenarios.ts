// Pool health in the reports over known lease intervals, written once and run on the embedded
// database (pool-health.test.ts) and on PostgreSQL (pool-health.pg.test.ts). Every number is
// worked out by hand in the comments below; a client user sees its own pools only, whatever the
// URL or the code asks.
import { randomBytes } from "node:crypto";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PoolHealth } from "@/components/reports/pool-health";
import type { Viewer } from "@/lib/auth/viewer";
import type { Database } from "@/lib/db/database";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { readPoolHealth, type PoolHealth as Pool } from "@/lib/reports/read-pool-health";
import type { ReportRange } from "@/lib/reports/report-range";
import { ACME_OFFICE, AGENCY_OWNER, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { phoneNumber } from "../support/tracking-numbers";

const ACME = "acme-plumbing";
const BRIGHT = "bright-smiles";
const DAY_ONE: ReportRange = { from: "2025-06-01", to: "2025-06-01", client: null };
const DAY_TWO: ReportRange = { from: "2025-06-02", to: "2025-06-02", client: null };
// Staff by the code's reckoning, Acme's user by the verified claims: only RLS stands in the way.
const ACME_CLAIMING_STAFF: Viewer = { ...ACME_OFFICE, role: "agency_admin", clientId: null };

const t = (day: string, hhmm: string) => `2025-${day}T${hhmm}:00Z`;

export function describePoolHealthScenarios(): void {
  let db: Database;

  async function addRow(clientId: string, source: string, numberType: "Pool" | "Source", active = true): Promise<string> {
    const number = phoneNumber("512");
    await db.query(
      `insert into public.tracking_numbers (phone_number, client_id, primary_number, source, number_type, active) values ($1, $2, '+12145550100', $3, $4, $5)`,
      [number, clientId, source, numberType, active],
    );
    return number;
  }
  async function addVisit(clientId: string): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      "insert into public.visits (client_id, visitor_id, source, touched_at) values ($1, $2, 'Yelp Ads', now()) returning id",
      [clientId, randomBytes(16).toString("base64url")],
    );
    return id;
  }
  async function lease(clientId: string, number: string, from: string, until: string): Promise<void> {
    await db.query("insert into public.visit_leases (tracking_number, client_id, visit_id, source, leased_at, expires_at) values ($1, $2, $3, 'Yelp Ads', $4, $5)", [
      number,
      clientId,
      await addVisit(clientId),
      from,
      until,
    ]);
  }
  async function exhaust(clientId: string, source: string, occurredAt: string): Promise<void> {
    await db.query("insert into public.pool_exhaustions (client_id, source, visit_id, occurred_at) values ($1, $2, $3, $4)", [
      clientId,
      source,
      await addVisit(clientId),
      occurredAt,
    ]);
  }

  beforeAll(async () => {
    db = await getDatabase();
    await seedDatabase(db, { onlyIfEmpty: true });

    // Acme's "Yelp Ads" pool: three active Pool rows (an inactive one and a Source row of the same
    // Source are not in it; "yelp ads" is the same pool, as the script matches Sources).
    const [n1, n2] = [await addRow(ACME, "Yelp Ads", "Pool"), await addRow(ACME, "Yelp Ads", "Pool")];
    const n3 = await addRow(ACME, "yelp ads", "Pool");
    await addRow(ACME, "Yelp Ads", "Pool", false);
    await addRow(ACME, "Yelp Ads", "Source");

    // Leases on 1 June (UTC), and what was leased at once:
    //   L0 n2 20 May 10:00–11:00   long before: never counted
    //   L1 n1 31 May 23:00–00:30   under way when the day begins
    //   L2 n2 00:10–00:40
    //   L3 n3 00:20–01:00          00:20–00:30: L1 L2 L3, 3 at once (the peak)
    //   L4 n1 00:30–00:45          begins the instant L1 ends: still 3, not 4
    //   L5 n2 23:50–00:20 (2 June) alone
    await lease(ACME, n2, t("05-20", "10:00"), t("05-20", "11:00"));
    await lease(ACME, n1, t("05-31", "23:00"), t("06-01", "00:30"));
    await lease(ACME, n2, t("06-01", "00:10"), t("06-01", "00:40"));
    await lease(ACME, n3, t("06-01", "00:20"), t("06-01", "01:00"));
    await lease(ACME, n1, t("06-01", "00:30"), t("06-01", "00:45"));
    await lease(ACME, n2, t("06-01", "23:50"), t("06-02", "00:20"));
    // Visitors who found it full, each wanting a number for the 30 minutes after:
    //   E1 31 May 23:45 (window to 00:15)  E2 00:25  E3 00:28  E5 23:58  E4 2 June 00:10
    // Demand on 1 June peaks at 00:28–00:40: 3 leases + E2 + E3 = 5 → suggested ceil(5 / 0.75) = 7.
    // Demand on 2 June: from 00:00 L5 + E5 = 2, at 00:10 + E4 = 3 → suggested ceil(3 / 0.75) = 4.
    await exhaust(ACME, "Yelp Ads", t("05-31", "23:45"));
    await exhaust(ACME, "Yelp Ads", t("06-01", "00:25"));
    await exhaust(ACME, "yelp ads", t("06-01", "00:28"));
    await exhaust(ACME, "Yelp Ads", t("06-01", "23:58"));
    await exhaust(ACME, "Yelp Ads", t("06-02", "00:10"));
    // Another pool's exhaustion at the busiest moment: not this pool's demand.
    await exhaust(ACME, "Google Ads", t("06-01", "00:29"));

    // Bright's pool of two, one lease and one exhaustion that day, which Acme must never see.
    const b1 = await addRow(BRIGHT, "Facebook Ads", "Pool");
    await addRow(BRIGHT, "Facebook Ads", "Pool");
    await lease(BRIGHT, b1, t("06-01", "10:00"), t("06-01", "10:30"));
    await exhaust(BRIGHT, "Facebook Ads", t("06-01", "10:05"));
  });

  afterAll(async () => {
    await closeDatabase();
  });

  const pool = (pools: Pool[], clientId: string, source: string) => pools.find((p) => p.clientId === clientId && p.source.toLowerCase() === source.toLowerCase());

  describe("pool health", () => {
    it("gives each pool its size, peak concurrent leases, exhaustions and suggested size", async () => {
      const pools = await readPoolHealth(db, ACME_OFFICE, DAY_ONE);
      expect(pool(pools, ACME, "Yelp Ads")).toEqual({
        clientId: ACME,
        clientName: "Acme Plumbing",
        source: "Yelp Ads",
        size: 3,
        peakLeases: 3,
        exhaustions: 3,
        peakDemand: 5,
        suggestedSize: 7,
      });
    });

    it("counts a lease under way and visitors turned away just before the range began", async () => {
      const pools = await readPoolHealth(db, ACME_OFFICE, DAY_TWO);
      expect(pool(pools, ACME, "Yelp Ads")).toMatchObject({ size: 3, peakLeases: 1, exhaustions: 1, peakDemand: 2 + 1, suggestedSize: 4 });
    });

    it("shows a pool with no demand in the range without a suggestion", async () => {
      const pools = await readPoolHealth(db, ACME_OFFICE, { from: "2025-01-01", to: "2025-01-31", client: null });
      expect(pool(pools, ACME, "Yelp Ads")).toMatchObject({ size: 3, peakLeases: 0, exhaustions: 0, peakDemand: 0, suggestedSize: null });
    });

    it("shows a client user only its own pools, whatever the URL or the code asks", async () => {
      for (const viewer of [ACME_OFFICE, ACME_CLAIMING_STAFF]) {
        for (const client of [null, BRIGHT]) {
          const pools = await readPoolHealth(db, viewer, { ...DAY_ONE, client });
          expect(pools.every((p) => p.clientId === ACME)).toBe(true);
        }
      }
      const bright = await readPoolHealth(db, BRIGHT_FRONT_DESK, DAY_ONE);
      expect(bright).toEqual([
        { clientId: BRIGHT, clientName: expect.any(String), source: "Facebook Ads", size: 2, peakLeases: 1, exhaustions: 1, peakDemand: 2, suggestedSize: 3 },
      ]);
    });

    it("lets staff see every client's pools or one client's", async () => {
      const all = await readPoolHealth(db, AGENCY_OWNER, DAY_ONE);
      expect(pool(all, ACME, "Yelp Ads")?.peakDemand).toBe(5);
      expect(pool(all, BRIGHT, "Facebook Ads")?.peakDemand).toBe(2);
      const onlyBright = await readPoolHealth(db, AGENCY_OWNER, { ...DAY_ONE, client: BRIGHT });
      expect(onlyBright.map((p) => p.clientId)).toEqual([BRIGHT]);
    });
  });

  describe("the pool health card", () => {
    it("explains the suggestion in one line and says how many numbers to add", async () => {
      const pools = (await readPoolHealth(db, ACME_OFFICE, DAY_ONE)).filter((p) => p.source === "Yelp Ads");
      const html = renderToStaticMarkup(createElement(PoolHealth, { pools, showClient: false }));
      const text = html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
      expect(text).toContain("Suggested size = the most visitors who needed a number at once");
      expect(text).toContain("Yelp Ads pool");
      expect(text).toMatch(/Numbers 3 .*Most in use at once 3 .*Visitors who found it full 3 .*Suggested size 7 for 5 at once/);
      expect(text).toContain("Add 4 numbers.");
    });

    it("is left out for a viewer without pools", () => {
      expect(renderToStaticMarkup(createElement(PoolHealth, { pools: [], showClient: false }))).toBe("");
    });
  });
}
