import type { Page } from "playwright-core";
import type { Scenario, StepContext } from "../../inbox/step-runner";
import { sleep } from "../../inbox/until";
import { ACME_SITE, inFormatOf } from "../seeded-tracking";
import { openSitePage, originalParts, swappedParts, untilPartsAre } from "../site-page";
import { STYLESHEET_MS } from "../test-site";
import type { TrackingRun } from "../tracking-run";

// The API's answer as it comes over the internet rather than from this machine: after the page
// could first paint (its stylesheet takes STYLESHEET_MS), well within data-hide="1000".
const SESSION_LATENCY_MS = 600;
// For the case where track.js itself comes late: after the page has painted.
const LATE_SCRIPT_MS = STYLESHEET_MS + 400;
// Past data-hide="1000": whatever the script hid is shown again by then, and any shift is counted.
const SETTLE_MS = 1500;

type Measured = { cls: number; stylesheet: number; script: number; answer: number; oldNumberFrames: number };

/**
 * Counts, from the page's first frame, the frames that show the hero's own number (visible, on a
 * page not hidden whole) once track.js has started: each is a frame the visitor sees the number
 * that is about to change.
 */
function countFramesShowingTheOldNumber(printed: string): void {
  // No named function inside: the test's compiler would wrap it in a helper the page lacks.
  const counted = window as unknown as { oldNumberFrames: number; look: () => void; Leadline?: unknown };
  counted.oldNumberFrames = 0;
  counted.look = () => {
    const hero = document.querySelector('[data-check="hero"]');
    const seen = hero && getComputedStyle(hero).visibility == "visible" && getComputedStyle(document.documentElement).opacity != "0";
    if (counted.Leadline && seen && hero.textContent!.includes(printed)) counted.oldNumberFrames++;
    requestAnimationFrame(counted.look);
  };
  requestAnimationFrame(counted.look);
}

/** Cumulative Layout Shift so far (every layout-shift entry not caused by input, summed), and when each resource arrived. */
const measure = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<Measured>((resolve) => {
        let cls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) cls += entry.value;
          }
        }).observe({ type: "layout-shift", buffered: true });
        const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
        const [stylesheet, script, answer] = ["/site.css", "/track.js", "/api/track/session"].map(
          (path) => resources.find((entry) => entry.name.endsWith(path))?.responseEnd ?? NaN,
        );
        const { oldNumberFrames } = window as unknown as { oldNumberFrames: number };
        setTimeout(() => resolve({ cls, stylesheet, script, answer, oldNumberFrames }), 100);
      }),
  );

async function swapAndMeasure(run: TrackingRun, step: StepContext, path: string, scriptDelayMs = 0): Promise<Measured> {
  const url = run.site.allowed(path);
  const original = await originalParts(step.browser, url);
  const context = await step.newContext({ viewport: { width: 1280, height: 800 } });
  const delay = (pattern: string, ms: number) =>
    context.route(pattern, async (route) => {
      await sleep(ms);
      await route.continue();
    });
  await delay("**/api/track/session", SESSION_LATENCY_MS);
  if (scriptDelayMs) await delay("**/track.js", scriptDelayMs);
  await context.addInitScript(countFramesShowingTheOldNumber, inFormatOf("555-0111", ACME_SITE.printed));
  const { page } = await openSitePage(context, url, "j", run.log);
  await untilPartsAre(page, swappedParts(original, ACME_SITE.website), `the numbers on ${path} swapped for ${ACME_SITE.website}`);
  await sleep(SETTLE_MS);
  return measure(page);
}

const describe = (m: Measured) =>
  `CLS ${m.cls.toFixed(4)} (stylesheet in at ${m.stylesheet.toFixed(0)} ms, track.js at ${m.script.toFixed(0)} ms, the session's answer at ${m.answer.toFixed(0)} ms), ${m.oldNumberFrames} frames showing the old number after track.js started`;

export const antiFlicker = (run: TrackingRun): Scenario => ({
  name: '(j) anti-flicker: with data-hide="1000" the swap adds no layout shift (CLS 0) and the old number is never seen to change',
  async run(step) {
    const hidden = await swapAndMeasure(run, step, "/anti-flicker.html");
    const shown = await swapAndMeasure(run, step, "/no-anti-flicker.html");
    const late = await swapAndMeasure(run, step, "/anti-flicker.html", LATE_SCRIPT_MS);
    const lateShown = await swapAndMeasure(run, step, "/no-anti-flicker.html", LATE_SCRIPT_MS);
    step.note(`the session's answer delayed ${SESSION_LATENCY_MS} ms in the browser, as from a distant server; the page's stylesheet takes ${STYLESHEET_MS} ms`);
    step.note(`with data-hide="1000": ${describe(hidden)}`);
    step.note(`the same page without data-hide: ${describe(shown)}`);
    step.note(`with data-hide="1000" and track.js arriving after the page painted: ${describe(late)}`);
    step.note(`the same, without data-hide: ${describe(lateShown)}`);
    if (!(hidden.script < hidden.stylesheet)) throw new Error(`track.js arrived after the page could paint, so this load does not show what anti-flicker does: ${describe(hidden)}`);
    if (shown.cls === 0) throw new Error("without data-hide the swap shifts nothing on this page, so CLS 0 with it would prove nothing");
    if (hidden.cls !== 0) throw new Error(`the swap with anti-flicker shifted the layout: CLS ${hidden.cls.toFixed(4)}`);
    // Once the page has painted, the wider number reflows the hero whatever is hidden (only hiding
    // the whole page, a flash, could avoid it): that shift is the swap's own, the same without
    // data-hide. What anti-flicker owes then is no shift of its own, and no sight of the old number.
    if (!(late.script > late.stylesheet)) throw new Error(`track.js arrived before the page could paint, so this load does not show the late case: ${describe(late)}`);
    if (lateShown.oldNumberFrames === 0) throw new Error("without data-hide no frame showed the old number after track.js started, so none with it would prove nothing");
    if (late.oldNumberFrames !== 0) throw new Error(`with anti-flicker the old number was seen after track.js started: ${describe(late)}`);
    if (late.cls > lateShown.cls) throw new Error(`anti-flicker added a layout shift of its own to the late swap: CLS ${late.cls.toFixed(4)} against ${lateShown.cls.toFixed(4)} without it`);
  },
});
