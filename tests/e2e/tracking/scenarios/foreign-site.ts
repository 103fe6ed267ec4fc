import type { Scenario } from "../../inbox/step-runner";
import { sleep, until } from "../../inbox/until";
import { ACME_SITE } from "../seeded-tracking";
import { assertOwnNumber, describeLog, openSitePage, originalParts, scriptRan } from "../site-page";
import type { TrackingRun } from "../tracking-run";

// After the refused request, how long a swap would need to show if the script made one anyway.
const GRACE_MS = 1000;

export const foreignSite = (run: TrackingRun): Scenario => ({
  name: "(e) a site not in Website Domains gets no number and keeps its own",
  async run({ app, browser, newContext, note }) {
    const url = run.site.foreign("/static.html");
    const origin = new URL(url).origin;
    // What the server answers such a site, asked directly (a browser hides it behind CORS).
    const direct = await fetch(`${app.url}/api/track/session`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin },
      body: JSON.stringify({ client: ACME_SITE.client, visitor: "e2eForeignVisitor0001", touch: { landing: url, at: Date.now() }, page: url }),
    });
    const allowOrigin = direct.headers.get("access-control-allow-origin");
    if (direct.status !== 403 || allowOrigin) throw new Error(`the server answers ${origin} ${direct.status}${allowOrigin ? ` with Access-Control-Allow-Origin ${allowOrigin}` : ""}; want 403 without CORS headers`);

    const original = await originalParts(browser, url);
    const logFrom = run.log.length;
    const { page, requests } = await openSitePage(await newContext(), url, "e", run.log);
    await until(() => scriptRan(page), "window.Leadline (track.js loaded)");
    const session = await until(() => requests.find((r) => r.path === "/api/track/session"), "the script's session request to end");
    await sleep(GRACE_MS);
    await assertOwnNumber(page, original, "on the foreign site");

    note(`server, asked directly with Origin ${origin}: ${direct.status} ${await direct.text()}, no CORS headers`);
    note(`in the browser the session request ${session.failure ? `failed: ${session.failure}` : `answered ${session.status}`}; the page kept ${ACME_SITE.printed}`);
    note(`browser logged: ${describeLog(run.log.slice(logFrom))}`);
  },
});
