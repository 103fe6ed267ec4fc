import { randomBytes } from "node:crypto";
import type { Scenario } from "../../inbox/step-runner";
import { ACME_SITE } from "../seeded-tracking";
import { openSitePage, originalParts, swappedParts, untilPartsAre, untilSwapped } from "../site-page";
import type { TrackingRun } from "../tracking-run";

/** A Google Ads click's landing URL: UTM tags and a gclid of its own. */
export function adClickUrl(run: TrackingRun, path = "/static.html"): { url: string; gclid: string } {
  const gclid = `e2e-${randomBytes(9).toString("base64url")}`;
  const query = new URLSearchParams({ utm_source: "google", utm_medium: "cpc", utm_campaign: "spring-sale", utm_term: "water heater", gclid });
  return { url: run.site.allowed(`${path}?${query}`), gclid };
}

export const paidLanding = (run: TrackingRun): Scenario => ({
  name: "(c) a landing URL with UTM tags and a gclid gets a Google Ads pool number",
  async run({ browser, newContext, note }) {
    const { url } = adClickUrl(run);
    const original = await originalParts(browser, url);
    const { page } = await openSitePage(await newContext(), url, "c", run.log);
    const number = await untilSwapped(page, "tel-e164", "the Call us link to dial a tracking number");
    if (!ACME_SITE.googleAdsPool.includes(number)) throw new Error(`the ad click got ${number}, not one of the Google Ads pool ${ACME_SITE.googleAdsPool.join(", ")}`);
    await untilPartsAre(page, swappedParts(original, number), `every printed number swapped for ${number}`);
    note(`ad click → pool number ${number}`);
  },
});
