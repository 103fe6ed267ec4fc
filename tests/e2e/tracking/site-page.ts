// A page of the test site as the run sees it: the parts it marks with data-check (their text and
// tel: link), what they said before any script ran, what the browser logged, and the requests the
// tracking script made.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ACME_SITE, dialled, inFormatOf, swapped } from "./seeded-tracking";
import { until } from "../inbox/until";

/** A marked part of a page: its whole text, and its href when it is a link. */
export type Part = { name: string; text: string; href: string | null };

/**
 * A line of the console: "browser" is Chromium's own report of a refused or failed request (the
 * page cannot silence it), "console" a script's console.error, "uncaught" an error that escaped.
 */
export type LoggedLine = { scenario: string; page: string; from: "browser" | "console" | "uncaught"; text: string };

const BROWSER_REPORT = /^Failed to load resource|blocked by CORS policy|net::ERR_/;

export const describeLog = (lines: LoggedLine[]) => (lines.length === 0 ? "nothing" : lines.map((line) => `[${line.from}] ${line.text}`).join(" ‖ "));

function watchConsole(page: Page, scenario: string, into: LoggedLine[]): void {
  const where = () => new URL(page.url()).host + new URL(page.url()).pathname;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    into.push({ scenario, page: where(), from: BROWSER_REPORT.test(message.text()) ? "browser" : "console", text: message.text() });
  });
  page.on("pageerror", (error) => into.push({ scenario, page: where(), from: "uncaught", text: error.message }));
}

/** A request of the tracking script to the app's /api/track/*, and how it ended. */
export type TrackRequest = { path: string; status?: number; failure?: string };

function watchTrackRequests(page: Page): TrackRequest[] {
  const seen: TrackRequest[] = [];
  const ofTracking = (url: string) => new URL(url).pathname.startsWith("/api/track/");
  page.on("requestfinished", async (request) => {
    if (ofTracking(request.url())) seen.push({ path: new URL(request.url()).pathname, status: (await request.response())?.status() });
  });
  page.on("requestfailed", (request) => {
    if (ofTracking(request.url())) seen.push({ path: new URL(request.url()).pathname, failure: request.failure()?.errorText });
  });
  return seen;
}

async function readParts(page: Page): Promise<Part[]> {
  return page.$$eval("[data-check]", (elements) =>
    elements.map((element) => ({
      name: (element as HTMLElement).dataset.check!,
      text: (element.textContent ?? "").replace(/\s+/g, " ").trim(),
      href: element.getAttribute("href"),
    })),
  );
}

/** The marked parts as the page has them with no script at all: what the site itself prints. */
export async function originalParts(browser: Browser, url: string): Promise<Part[]> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(url);
    return await readParts(page);
  } finally {
    await context.close();
  }
}

/** The parts once the printed number is swapped for `e164` in the site's own format; other numbers stay. */
export function swappedParts(original: Part[], e164: string): Part[] {
  return original.map((part) => ({
    ...part,
    text: swapped(part.text, e164),
    href: part.href?.startsWith("tel:") && dialled(part.href) === ACME_SITE.printed ? `tel:${inFormatOf(part.href.slice(4), e164)}` : part.href,
  }));
}

const describe = (part: Part) => `"${part.text}"${part.href ? ` (${part.href})` : ""}`;

/** Waits until the page's parts are `expected`; fails naming each part that differs. */
export async function untilPartsAre(page: Page, expected: Part[], what: string, timeoutMs = 10_000): Promise<void> {
  let last: Part[] = [];
  try {
    await until(async () => {
      last = await readParts(page);
      return JSON.stringify(last) === JSON.stringify(expected);
    }, what, timeoutMs);
  } catch (error) {
    const differing = expected
      .map((want, i) => ({ want, got: last[i] }))
      .filter(({ want, got }) => JSON.stringify(want) !== JSON.stringify(got))
      .map(({ want, got }) => `${want.name}: shows ${got ? describe(got) : "nothing"}, want ${describe(want)}`);
    throw new Error(`${(error as Error).message}\n${differing.join("\n")}`);
  }
}

/** Fails unless the page shows its parts as the site prints them: its own number, nowhere swapped. */
export async function assertOwnNumber(page: Page, original: Part[], when: string): Promise<void> {
  const parts = await readParts(page);
  if (JSON.stringify(parts) !== JSON.stringify(original)) throw new Error(`${when}, the page does not show its own number: ${parts.map(describe).join(" | ")}`);
}

/** The number the page's `name` link dials now. */
async function dialledBy(page: Page, name: string): Promise<string> {
  const href = await page.getAttribute(`[data-check="${name}"]`, "href");
  if (!href) throw new Error(`the page has no link "${name}"`);
  return dialled(href);
}

/** Waits until the `name` link dials something other than the printed number, and returns that. */
export async function untilSwapped(page: Page, name: string, what: string): Promise<string> {
  return until(async () => {
    const number = await dialledBy(page, name);
    return number !== ACME_SITE.printed && number;
  }, what);
}

export const scriptRan = (page: Page) => page.evaluate(() => typeof (window as { Leadline?: unknown }).Leadline === "object");

/** The visitor id the script keeps for the client, or null. */
export const visitorOf = (page: Page) =>
  page.evaluate((key) => {
    const kept = localStorage.getItem(key);
    return kept ? (JSON.parse(kept) as { v?: string }).v ?? null : null;
  }, `leadline:${ACME_SITE.client}`);

export type SitePage = { page: Page; requests: TrackRequest[] };

/** A new page in `context`, its console and tracking requests watched, at `url`. */
export async function openSitePage(context: BrowserContext, url: string, scenario: string, log: LoggedLine[]): Promise<SitePage> {
  const page = await context.newPage();
  watchConsole(page, scenario, log);
  const requests = watchTrackRequests(page);
  await page.goto(url);
  return { page, requests };
}
