import type { Page } from "playwright-core";
import { ACME, ACME_OFFICE_EMAIL } from "../seeded-demo";
import { threadLink } from "../page-checks";
import type { Scenario } from "../step-runner";
import { until } from "../until";

const controlled = (page: Page) => page.evaluate(() => Boolean(navigator.serviceWorker?.controller));
const keptForOffline = (page: Page) => page.evaluate(async () => Boolean(await caches.match(location.href)));

export const offlineInbox: Scenario = {
  name: "offline, the last loaded inbox still shows and says it is offline",
  async run({ signIn, note }) {
    // Signing in lands on /inbox, as a user does before going offline.
    const { context, page } = await signIn(ACME_OFFICE_EMAIL);
    const row = threadLink(page, ACME.leads.waterHeater.shown).first();
    await row.waitFor();
    await until(() => controlled(page), "the service worker to control /inbox", 20_000);
    // Keeping a copy takes the worker a moment (it fetches the page again); a user is not offline that fast.
    await until(() => keptForOffline(page), "an offline copy of /inbox in the browser's caches", 20_000);
    await context.setOffline(true);
    const response = await page.reload().catch((error: Error) => {
      throw new Error(`reloading /inbox offline failed: ${error.message.split("\n")[0]}`);
    });
    await row.waitFor({ timeout: 10_000 }).catch(async () => {
      const shown = (await page.locator("main, body").first().innerText()).replace(/\s+/g, " ").slice(0, 200);
      throw new Error(`offline, /inbox does not show ${ACME.leads.waterHeater.shown}; the page says: "${shown}"`);
    });
    await page.getByText(/you.re offline/i).first().waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error("offline, the inbox does not say it is offline");
    });
    note(`offline reload served by the service worker: ${response?.fromServiceWorker() ?? "no response"}; banner: "${(await page.getByText(/you.re offline/i).first().textContent())?.trim()}"`);
    if (!response?.fromServiceWorker()) throw new Error("the offline /inbox did not come from the service worker");
  },
};
