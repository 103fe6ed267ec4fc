// Chrome's own verdict on whether a page can be installed as an app (Page.getInstallabilityErrors),
// the check behind the install button, asked in the browser profile Lighthouse used.
import { chromium } from "playwright-core";

export async function installabilityErrors(cdpUrl: string, pageUrl: string): Promise<string[]> {
  const browser = await chromium.connectOverCDP(cdpUrl);
  try {
    const context = browser.contexts()[0];
    const page = await context.newPage();
    await page.goto(pageUrl);
    // public/sw.js claims its pages only after keeping the inbox, so a controller means the
    // worker is active and the offline copy exists.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    const session = await context.newCDPSession(page);
    const { installabilityErrors } = await session.send("Page.getInstallabilityErrors");
    await page.close();
    return installabilityErrors.map(({ errorId, errorArguments }) =>
      errorArguments.length ? `${errorId} (${errorArguments.map(({ name, value }) => `${name}=${value}`).join(", ")})` : errorId,
    );
  } finally {
    // Disconnects playwright only; the browser and its profile stay for the caller.
    await browser.close();
  }
}
