// A pool's leases on PostgreSQL: the scenarios pool-leases.test.ts runs embedded, and visitors
// arriving at once on real concurrent connections, which only a server can show.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db/get-database";
import { openPostgresDatabase } from "@/lib/db/open-postgres-database";
import { readSiteConfig } from "@/lib/tracking/read-site-config";
import { startTrackingSession } from "@/lib/tracking/start-tracking-session";
import { HEARTBEAT_SECONDS } from "@/lib/tracking/tracking-limits";
import { phoneNumber } from "../support/tracking-numbers";
import { describePoolScenarios } from "./pool-scenarios";
import { address, GOOGLE_AD_CLICK, openPoolSite, visitorId } from "./tracking-lab";

describePoolScenarios();

const ROUNDS = 10;
const VISITORS = 5;

describe(`${VISITORS} visitors from the ad at once, on a pool of three`, () => {
  it("lease three different numbers and give the other two the fallback, recording two exhaustions, round after round", async () => {
    const visitors = openPostgresDatabase(process.env.DATABASE_URL!, { deadlineMs: 0, max: VISITORS });
    const gate = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await gate.connect();
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const fallbackNumber = phoneNumber("512");
        const site = await openPoolSite(3, { fallbackNumber });
        const config = (await readSiteConfig(visitors, site.clientId))!;

        // The pool is held still until every visitor is waiting to take a number, so all of them
        // reach for the same free numbers together, each on its own connection.
        await gate.query("begin");
        await gate.query("lock table public.number_leases in exclusive mode");
        const sessions = Promise.all(
          Array.from({ length: VISITORS }, () =>
            startTrackingSession({
              db: visitors,
              site: config,
              body: { client: site.clientId, visitor: visitorId(), touch: { at: Date.now(), ...GOOGLE_AD_CLICK }, page: `${site.origin}/` },
              ip: address(),
            }),
          ),
        );
        while ((await gate.query("select count(*)::int as waiting from pg_locks where relation = 'public.number_leases'::regclass and not granted")).rows[0].waiting < VISITORS) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await gate.query("commit");

        const answers = (await sessions).map((outcome) => {
          if (!("answer" in outcome)) throw new Error(`round ${round}: rate limited`);
          return outcome.answer;
        });
        const leased = answers.filter((answer) => answer.heartbeat === HEARTBEAT_SECONDS).map((answer) => answer.number);
        expect([...leased].sort(), `round ${round}`).toEqual(site.pool);
        expect(answers.filter((answer) => answer.number === fallbackNumber && answer.heartbeat === null), `round ${round}`).toHaveLength(VISITORS - 3);

        const db = await getDatabase();
        const [stored] = await db.query<{ exhaustions: number; leases: number; holders: number }>(
          `select (select count(*)::int from public.pool_exhaustions where client_id = $1) as exhaustions,
                  (select count(distinct tracking_number)::int from public.visit_leases where client_id = $1) as leases,
                  (select count(distinct visit_id)::int from public.number_leases where client_id = $1 and expires_at > now()) as holders`,
          [site.clientId],
        );
        expect(stored, `round ${round}`).toEqual({ exhaustions: VISITORS - 3, leases: 3, holders: 3 });
      }
    } finally {
      await gate.end();
      await visitors.close();
    }
  });
});
