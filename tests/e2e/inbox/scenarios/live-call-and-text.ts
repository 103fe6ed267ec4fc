import { performance } from "node:perf_hooks";
import { ACME, ACME_OFFICE_EMAIL, newCaller, shownNumber } from "../seeded-demo";
import { assertNotReloaded, markWindow, threadLink } from "../page-checks";
import { leadTexts, placeAnsweredCall } from "../play-twilio";
import { LIVE_WAIT_MS, type Scenario } from "../step-runner";
import { secondsSince } from "../until";

export const liveCallAndText: Scenario = {
  name: "a new call and text show in the open inbox and thread without a reload",
  async run({ app, signIn, measure }) {
    const { page } = await signIn(ACME_OFFICE_EMAIL);
    await threadLink(page, ACME.leads.waterHeater.shown).first().waitFor();
    await markWindow(page);

    const caller = newCaller();
    const callPosted = performance.now();
    await placeAnsweredCall(app, { from: caller, to: ACME.googleAdsNumber });
    const row = threadLink(page, shownNumber(caller)).first();
    await row.waitFor({ timeout: LIVE_WAIT_MS }).catch(() => {
      throw new Error(`the call from ${shownNumber(caller)} did not appear in the open inbox within ${LIVE_WAIT_MS / 1000} s`);
    });
    measure("call in list", secondsSince(callPosted));
    await assertNotReloaded(page, "the new call");

    await row.click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}/);
    await page.getByRole("heading", { name: shownNumber(caller) }).first().waitFor();
    await markWindow(page);
    const body = "Can you also look at the kitchen sink while you're here?";
    const textPosted = performance.now();
    await leadTexts(app, { from: caller, to: ACME.googleAdsNumber, body });
    await page.getByText(body).first().waitFor({ timeout: LIVE_WAIT_MS }).catch(() => {
      throw new Error(`the text "${body}" did not appear in the open thread within ${LIVE_WAIT_MS / 1000} s`);
    });
    measure("text in thread", secondsSince(textPosted));
    await assertNotReloaded(page, "the new text");
  },
};
