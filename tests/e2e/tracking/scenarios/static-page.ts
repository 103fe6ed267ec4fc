import type { Scenario } from "../../inbox/step-runner";
import { ACME_SITE, PRINTED_FORMATS } from "../seeded-tracking";
import { openSitePage, originalParts, swappedParts, untilPartsAre, untilSwapped } from "../site-page";
import type { TrackingRun } from "../tracking-run";

export const staticPage = (run: TrackingRun): Scenario => ({
  name: "(a) static HTML: the number in six formats and in tel: links is swapped, each format intact",
  async run({ browser, newContext, note }) {
    const url = run.site.allowed("/static.html");
    const original = await originalParts(browser, url);
    const missing = PRINTED_FORMATS.filter((format) => !original.some((part) => part.text.includes(format)));
    if (missing.length > 0) throw new Error(`the test page does not print ${missing.join(", ")}`);

    const { page } = await openSitePage(await newContext(), url, "a", run.log);
    const number = await untilSwapped(page, "tel-e164", "the Call us link to dial a tracking number");
    if (number !== ACME_SITE.website) throw new Error(`a direct visit got ${number}; the seed's catch-all Website row is ${ACME_SITE.website}`);
    const expected = swappedParts(original, number);
    await untilPartsAre(page, expected, `every printed number swapped for ${number} in its own format`);
    note(`direct visit → ${number}; ${expected.length} parts as expected, e.g. ${expected.slice(1, 4).map((part) => `"${part.text}"`).join(", ")}, links ${expected.filter((part) => part.href).map((part) => part.href).join(", ")}`);
  },
});
