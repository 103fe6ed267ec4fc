import type { Scenario } from "../../inbox/step-runner";
import { ACME_SITE } from "../seeded-tracking";
import { openSitePage, untilSwapped, visitorOf } from "../site-page";
import { databaseNow, exhaustionsSince, expireLeases, type TrackingRun } from "../tracking-run";
import { adClickUrl } from "./paid-landing";

const VISITORS = 5;

export const poolLeases = (run: TrackingRun): Scenario => ({
  name: "(h) pool: 5 visitors at once on 3 numbers → 3 leased, 2 get the fallback and are recorded; a reload keeps the number; an expired lease is leased again",
  onlyOn: "PostgreSQL",
  async run({ newContext, note }) {
    const db = run.db();
    const ended = await expireLeases(db);
    const since = await databaseNow(db);

    const visitors = await Promise.all(
      Array.from({ length: VISITORS }, async () => {
        const context = await newContext();
        return openSitePage(context, adClickUrl(run).url, "h", run.log);
      }),
    );
    const numbers = await Promise.all(visitors.map(({ page }, i) => untilSwapped(page, "tel-e164", `visitor ${i + 1}'s number`)));
    const ids = await Promise.all(visitors.map(({ page }) => visitorOf(page)));
    const leased = numbers.filter((number) => ACME_SITE.googleAdsPool.includes(number));
    const fellBack = numbers.map((number, i) => ({ number, visitor: ids[i] })).filter(({ number }) => number === ACME_SITE.poolFallback);
    const got = numbers.join(", ");
    if (new Set(leased).size !== 3 || leased.length !== 3) throw new Error(`want the 3 pool numbers leased once each; the 5 visitors got ${got}`);
    if (fellBack.length !== 2) throw new Error(`want 2 visitors on the fallback ${ACME_SITE.poolFallback}; the 5 visitors got ${got}`);

    const exhaustions = await exhaustionsSince(db, since);
    const recorded = exhaustions.map((row) => row.visitor_id).sort();
    const expected = fellBack.map(({ visitor }) => visitor).sort();
    if (JSON.stringify(recorded) !== JSON.stringify(expected)) {
      throw new Error(`pool_exhaustions holds ${exhaustions.length} row(s) for visitors ${recorded.join(", ") || "none"}; want the 2 on the fallback: ${expected.join(", ")}`);
    }
    note(`5 at once → ${got}; pool_exhaustions: ${exhaustions.map((row) => `${row.source} / ${row.visitor_id}`).join(", ")} (${ended} earlier lease(s) ended by SQL first)`);

    const first = numbers.findIndex((number) => ACME_SITE.googleAdsPool.includes(number));
    const holder = visitors[first].page;
    await holder.reload();
    const afterReload = await untilSwapped(holder, "tel-e164", "the reloaded page's number");
    if (afterReload !== numbers[first]) throw new Error(`after a reload visitor ${first + 1} got ${afterReload}, not its ${numbers[first]}`);

    // The visitor leaves (no more heartbeats) and 30 minutes pass: moved into the past by SQL.
    await holder.context().close();
    if ((await expireLeases(db, numbers[first])) !== 1) throw new Error(`no current lease on ${numbers[first]} to expire`);
    const { page: newcomer } = await openSitePage(await newContext(), adClickUrl(run).url, "h", run.log);
    const reused = await untilSwapped(newcomer, "tel-e164", "a new visitor's number");
    if (reused !== numbers[first]) throw new Error(`after the lease on ${numbers[first]} expired, a new visitor got ${reused}`);
    note(`reload kept ${afterReload}; lease on ${numbers[first]} expired by moving expires_at 1 s into the past (SQL, not a 30-minute wait) → the next visitor got ${reused}`);
  },
});
