import type { Scenario } from "../../inbox/step-runner";
import { sleep, until } from "../../inbox/until";
import { assertOwnNumber, openSitePage, originalParts, scriptRan, untilSwapped, describeLog, type SitePage } from "../site-page";
import type { TrackingRun } from "../tracking-run";

// After the failed request, how long a swap would need to show if the script made one anyway.
const GRACE_MS = 1000;

export const serverDown = (run: TrackingRun): Scenario => ({
  name: "(g) with the server down the page keeps its own number, with no page errors",
  async run({ app, browser, newContext, note }) {
    const url = run.site.allowed("/static.html");
    const original = await originalParts(browser, url);
    const context = await newContext();
    const warm = await openSitePage(context, url, "g", run.log);
    await untilSwapped(warm.page, "tel-e164", "a swap while the server is up, which leaves track.js in the browser's HTTP cache");
    await warm.page.close();

    await app.stop();

    const keepsItsNumber = async (visit: SitePage, when: string) => {
      await sleep(GRACE_MS);
      await assertOwnNumber(visit.page, original, when);
    };

    let logFrom = run.log.length;
    const cached = await openSitePage(context, url, "g", run.log);
    await until(() => scriptRan(cached.page), "track.js, from the browser's HTTP cache, to run with the server down");
    const session = await until(() => cached.requests.find((r) => r.path === "/api/track/session"), "the script's session request to end");
    await keepsItsNumber(cached, "with track.js from the cache and the session request refused");
    const cachedLog = run.log.slice(logFrom);
    note(`track.js from the HTTP cache ran; its session request ${session.failure ? `failed (${session.failure})` : `answered ${session.status}`}; browser logged: ${describeLog(cachedLog)}`);

    logFrom = run.log.length;
    const cold = await openSitePage(await newContext(), url, "g", run.log);
    await cold.page.waitForLoadState("load");
    await keepsItsNumber(cold, "in a browser without track.js cached");
    if (await scriptRan(cold.page)) throw new Error("with the server down and nothing cached, window.Leadline exists: where did track.js come from?");
    const coldLog = run.log.slice(logFrom);
    note(`a new browser (track.js unreachable): page kept its number; browser logged: ${describeLog(coldLog)}`);

    const escaped = [...cachedLog, ...coldLog].filter((line) => line.from !== "browser");
    if (escaped.length > 0) throw new Error(`errors reached the console: ${describeLog(escaped)}`);
  },
});
