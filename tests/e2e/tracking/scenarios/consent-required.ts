import type { Page } from "playwright-core";
import type { Scenario } from "../../inbox/step-runner";
import { sleep, until } from "../../inbox/until";
import { ACME_SITE } from "../seeded-tracking";
import { assertOwnNumber, openSitePage, originalParts, scriptRan, swappedParts, untilPartsAre, type Part, type TrackRequest } from "../site-page";
import type { TrackingRun } from "../tracking-run";

// How long a script that ignored the site's consent would need to ask and swap on this machine
// (a swap takes tens of milliseconds here); waiting proves an absence, it times nothing.
const GRACE_MS = 1500;

const storageUsed = (page: Page) =>
  page.evaluate(() => ({ localStorage: localStorage.length, sessionStorage: sessionStorage.length, cookies: document.cookie }));

async function assertUntouched(page: Page, requests: TrackRequest[], original: Part[], when: string): Promise<void> {
  await sleep(GRACE_MS);
  await assertOwnNumber(page, original, when);
  if (requests.length > 0) throw new Error(`${when}, the script asked the server: ${requests.map((r) => r.path).join(", ")}`);
  const used = await storageUsed(page);
  if (used.localStorage || used.sessionStorage || used.cookies) throw new Error(`${when}, the page stored something: ${JSON.stringify(used)}`);
}

export const consentRequired = (run: TrackingRun): Scenario => ({
  name: '(d) data-consent="required": the page keeps its number and stores nothing until Leadline.consent(true)',
  async run({ browser, newContext, note }) {
    const url = run.site.allowed("/consent.html");
    const original = await originalParts(browser, url);
    const { page, requests } = await openSitePage(await newContext(), url, "d", run.log);
    await until(() => scriptRan(page), "window.Leadline (track.js loaded)");
    await assertUntouched(page, requests, original, "before consent");
    await page.getByRole("button", { name: "Decline" }).click();
    await assertUntouched(page, requests, original, "after Leadline.consent(false)");

    await page.getByRole("button", { name: "Accept" }).click();
    await untilPartsAre(page, swappedParts(original, ACME_SITE.website), `the numbers swapped for ${ACME_SITE.website} after Leadline.consent(true)`);
    const kept = await page.evaluate((key) => localStorage.getItem(key), `leadline:${ACME_SITE.client}`);
    if (!kept) throw new Error(`after consent the script keeps no leadline:${ACME_SITE.client} in localStorage`);
    note(`before consent and after consent(false): original number, no request, nothing stored; after consent(true): ${ACME_SITE.website}, localStorage ${kept.slice(0, 90)}…`);
  },
});
