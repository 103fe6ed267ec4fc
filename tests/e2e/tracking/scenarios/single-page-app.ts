import type { Page } from "playwright-core";
import type { Scenario } from "../../inbox/step-runner";
import { until } from "../../inbox/until";
import { ACME_SITE, inFormatOf } from "../seeded-tracking";
import { openSitePage } from "../site-page";
import type { TrackingRun } from "../tracking-run";

async function untilShows(page: Page, selector: string, expected: { text: string; href?: string }, what: string): Promise<void> {
  let shown = { text: "", href: null as string | null };
  await until(async () => {
    shown = await page.$eval(selector, (element) => ({ text: (element.textContent ?? "").trim(), href: element.getAttribute("href") }));
    return shown.text === expected.text && (expected.href === undefined || shown.href === expected.href);
  }, what).catch((error: Error) => {
    throw new Error(`${error.message}\n${selector} shows "${shown.text}"${shown.href ? ` (${shown.href})` : ""}, want "${expected.text}"${expected.href ? ` (${expected.href})` : ""}`);
  });
}

export const singlePageApp = (run: TrackingRun): Scenario => ({
  name: "(b) single-page app: the number it renders after load and re-renders on navigation is swapped",
  async run({ newContext, note }) {
    const number = ACME_SITE.website;
    const as = (format: string) => inFormatOf(format, number);
    const { page: app, requests } = await openSitePage(await newContext(), run.site.allowed("/spa.html"), "b", run.log);

    await untilShows(app, "#hero", { text: `Call ${as("(512) 555-0111")} now.` }, "the first view's number, rendered after load, to be swapped");
    await app.getByRole("link", { name: "Contact" }).click();
    await untilShows(app, "#contact-phone", { text: as("512.555.0111") }, "the contact view's number, rendered on navigation, to be swapped");
    await untilShows(app, "#contact-call", { text: `Call ${as("+1 512 555 0111")}`, href: `tel:${as("+15125550111")}` }, "the contact view's link to dial the tracking number");
    await app.getByRole("button", { name: "Show hours" }).click();
    await untilShows(app, "#hours", { text: `Open late tonight: ${as("512-555-0111")}` }, "a text node rewritten in place to be swapped");
    await app.goBack();
    await untilShows(app, "#hero", { text: `Call ${as("(512) 555-0111")} now.` }, "the first view, rendered again on Back, to be swapped");
    note(`every re-render showed ${number}; the script asked the server ${requests.filter((r) => r.path === "/api/track/session").length} time(s)`);
  },
});
