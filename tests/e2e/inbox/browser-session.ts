// The system Chromium, driven by playwright-core (never a downloaded browser), and a signed-in
// browser per user through the development sign-in on /login.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { launchSystemChromium } from "../../support/chromium";
import type { AppUnderTest } from "./app-under-test";

export function launchChromium(): Promise<Browser> {
  // A voicemail's play() is started by the run, not by a click.
  return launchSystemChromium(["--autoplay-policy=no-user-gesture-required", "--mute-audio"]);
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export type SignedIn = { context: BrowserContext; page: Page };

/** A new browser (its own cookies) signed in as `email` with the development sign-in; ends on /inbox. */
export async function signIn(browser: Browser, app: AppUnderTest, email: string, device: BrowserContextOptions = DESKTOP): Promise<SignedIn> {
  const context = await browser.newContext({ ...device, baseURL: app.url, serviceWorkers: "allow" });
  context.setDefaultTimeout(15_000);
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByRole("button", { name: new RegExp(email.replace(/[.+]/g, "\\$&")) }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/inbox"));
    return { context, page };
  } catch (error) {
    await context.close();
    throw new Error(`signing in as ${email}: ${(error as Error).message.split("\n")[0]}`);
  }
}
