// Signs a seeded user in through /login's development sign-in, in the browser's default profile,
// so the session cookie is there for the Lighthouse runs that follow in the same browser.
import { chromium } from "playwright-core";

export async function signInWithDevelopmentSignIn(cdpUrl: string, baseUrl: string, email: string): Promise<void> {
  const browser = await chromium.connectOverCDP(cdpUrl);
  try {
    const page = await browser.contexts()[0].newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole("button", { name: email }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/inbox"), { timeout: 60_000 });
    await page.close();
  } finally {
    // Disconnects playwright only; the browser and its cookies stay.
    await browser.close();
  }
}
