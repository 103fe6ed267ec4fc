// public/track.js in the system Chromium, on pages served from one local origin that load it from
// another, as a client's site loads it from Leadline. The test answers /api/track/session and
// /api/track/heartbeat itself, by their HTTP contract, to put the script through every answer;
// the real endpoints are run end to end by tests/e2e/tracking.
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TRACK_SCRIPT_PATH } from "@/scripts/build-track-script";
import { launchSystemChromium } from "../support/chromium";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { PRINTED_FORMATS } from "./script-printed-formats";

const PRINTED = "+15125550134";
const TRACKING = "+15125550121";
const NEXT_TRACKING = "+15125550122";
const LANDING_QUERY = "?utm_source=google&utm_medium=cpc&utm_campaign=spring-sale&gclid=Cj0KCQ";

type ApiCall = { path: string; method: string; origin: string | null; contentType: string | null; body: Record<string, unknown> | null };
type Answer = unknown | Response | Promise<unknown | Response>;
type Gate = { opened: Promise<void>; open: () => void };

function gate(): Gate {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const calls: ApiCall[] = [];
const sessions = () => calls.filter((call) => call.path === "/api/track/session");
const heartbeats = () => calls.filter((call) => call.path === "/api/track/heartbeat");
let answerSession: (call: ApiCall) => Answer;
let answerHeartbeat: (call: ApiCall) => Answer;
const leased = (number = TRACKING, heartbeat: number | null = null) => ({ number, replace: [PRINTED], heartbeat });

/** Leadline's side: track.js as built, and the API by its contract (CORS for the site, JSON answers). */
async function leadlineStandIn(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === "/track.js") {
    return new Response(readFileSync(TRACK_SCRIPT_PATH), { headers: { "content-type": "application/javascript", "cache-control": "public, max-age=3600" } });
  }
  const text = await request.text();
  const call: ApiCall = { path: pathname, method: request.method, origin: request.headers.get("origin"), contentType: request.headers.get("content-type"), body: text ? JSON.parse(text) : null };
  calls.push(call);
  const answer = await (pathname === "/api/track/session" ? answerSession(call) : pathname === "/api/track/heartbeat" ? answerHeartbeat(call) : new Response(null, { status: 404 }));
  const response = answer instanceof Response ? answer : Response.json(answer);
  const headers = new Headers(response.headers);
  if (call.origin && !headers.has("access-control-allow-origin")) headers.set("access-control-allow-origin", call.origin);
  return new Response(response.body, { status: response.status, headers });
}

const pages = new Map<string, string>();
/** A render-blocking stylesheet the site serves only once opened: the page cannot paint before. */
let stylesheet = gate();

async function siteStandIn(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === "/held.css") {
    await stylesheet.opened;
    return new Response("body { margin: 0 }", { headers: { "content-type": "text/css" } });
  }
  const page = pages.get(pathname);
  return page ? new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } }) : new Response("not found", { status: 404 });
}

type PageRecords = { layoutShifts: number[]; opacities: [opacity: string, number: string | null][] };
const pageRecords = () =>
  tab.evaluate((): PageRecords => {
    const { layoutShifts, opacities } = window as unknown as PageRecords;
    return { layoutShifts, opacities };
  });

let browser: Browser;
let leadline: RunningStandIn;
let site: RunningStandIn;
let context: BrowserContext;
let tab: Page;
let consoleLines: { text: string; url: string }[];
let pageErrors: string[];

beforeAll(async () => {
  [leadline, site, browser] = await Promise.all([serveStandIn(leadlineStandIn), serveStandIn(siteStandIn), launchSystemChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([leadline?.close(), site?.close()]);
});

beforeEach(async () => {
  calls.length = 0;
  pages.clear();
  stylesheet = gate();
  answerSession = () => leased();
  answerHeartbeat = () => ({ held: true });
  context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  // Every layout shift from the first frame, and every opacity the page's <html> is given, with
  // what #number said at that moment (before any frame could show it).
  await context.addInitScript(() => {
    const seen = window as unknown as PageRecords;
    seen.layoutShifts = [];
    seen.opacities = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[]) seen.layoutShifts.push(entry.value);
    }).observe({ type: "layout-shift", buffered: true });
    new MutationObserver((records) => {
      for (const { target } of records) {
        if (target === document.documentElement) seen.opacities.push([document.documentElement.style.opacity, document.getElementById("number")?.textContent ?? null]);
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["style"] });
  });
  tab = await context.newPage();
  consoleLines = [];
  pageErrors = [];
  tab.on("console", (message) => consoleLines.push({ text: message.text(), url: message.location().url }));
  tab.on("pageerror", (error) => pageErrors.push(error.message));
});

afterEach(async () => {
  stylesheet.open();
  await context.close();
});

type PageOptions = {
  /** More attributes of the script tag. */
  attributes?: string;
  head?: string;
  /** Where track.js comes from, or null for a page without the tag. */
  trackJs?: string | null;
};

/** A page of the client's site with `body`, loading track.js as a client installs it; its URL. */
function servePage(path: string, body: string, { attributes = "", head = "", trackJs = `${leadline.url}/track.js` }: PageOptions = {}): string {
  const tag = trackJs === null ? "" : `<script async src="${trackJs}" data-client="acme"${attributes}></script>`;
  pages.set(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Plumbing</title>${head}${tag}</head>
<body style="font: 20px/1.4 'DejaVu Sans', sans-serif">${body}</body></html>`,
  );
  return `${site.url}${path}`;
}

/** Adds the script tag to a page already shown, as a tag manager does. */
function insertTrackScript(dataset: Record<string, string>): Promise<void> {
  return tab.evaluate(
    ([src, data]) => {
      const script = document.createElement("script");
      script.src = src;
      Object.assign(script.dataset, data);
      document.head.append(script);
    },
    [`${leadline.url}/track.js`, dataset] as const,
  );
}

const text = (selector: string) => tab.locator(selector).evaluate((element) => element.textContent);
const href = (selector: string) => tab.locator(selector).getAttribute("href");
const scriptRan = () => tab.evaluate(() => typeof window.Leadline === "object");
const opacity = () => tab.evaluate(() => getComputedStyle(document.documentElement).opacity);
const nextFrame = () => tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

const STATIC_PAGE = `
<ul>${PRINTED_FORMATS.map(([printed], i) => `<li id="format-${i}">Call ${printed} today</li>`).join("")}</ul>
<a id="call" href="tel:+15125550134">Call now</a>
<a id="call-dashed" href="tel:512-555-0134"><b>512-555-0134</b></a>
<a id="text-us" href="sms:+15125550134?body=Hi">Text us</a>
<p id="longer">Order 95125550134, part 5125550134999</p>
<p id="other">Fax (512) 555-0199</p>
<textarea id="typed">512-555-0134</textarea>
<div id="editable" contenteditable="true">512-555-0134</div>
<script id="code">const office = "512-555-0134";</script>`;

describe("on a static page", () => {
  beforeEach(async () => {
    await tab.goto(servePage("/", STATIC_PAGE) + LANDING_QUERY);
    await expect.poll(() => href("#call")).toBe(`tel:${TRACKING}`);
  });

  it("swaps the number in every format it is printed in, keeping the format", async () => {
    for (const [i, [, swapped]] of PRINTED_FORMATS.entries()) expect(await text(`#format-${i}`)).toBe(`Call ${swapped} today`);
  });

  it("makes every tel: and sms: link reach the tracking number, written as the page wrote it", async () => {
    expect(await href("#call-dashed")).toBe("tel:512-555-0121");
    expect(await text("#call-dashed")).toBe("512-555-0121");
    expect(await href("#text-us")).toBe("sms:+15125550121?body=Hi");
  });

  it("leaves other numbers, longer digit runs, code, and what the visitor can edit", async () => {
    expect(await text("#longer")).toBe("Order 95125550134, part 5125550134999");
    expect(await text("#other")).toBe("Fax (512) 555-0199");
    expect(await tab.inputValue("#typed")).toBe("512-555-0134");
    expect(await text("#editable")).toBe("512-555-0134");
    expect(await text("#code")).toBe('const office = "512-555-0134";');
  });

  it("asks once with a CORS simple request carrying the visitor, the landing's touch and the page", async () => {
    const landing = `${site.url}/${LANDING_QUERY}`;
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual(["POST /api/track/session"]);
    const [{ origin, contentType, body }] = calls;
    expect({ origin, contentType }).toEqual({ origin: site.url, contentType: expect.stringMatching(/^text\/plain/) });
    expect(body).toEqual({
      client: "acme",
      visitor: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      touch: { source: "google", medium: "cpc", campaign: "spring-sale", gclid: "Cj0KCQ", landing, at: expect.any(Number) },
      page: landing,
    });
    expect(consoleLines).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe("the visit kept in the browser", () => {
  const visit = () => tab.evaluate(() => JSON.parse(localStorage.getItem("leadline:acme")!) as { v: string; t: { landing: string } });

  it("sends the same visitor on a reload, so the server can give back its number, with the first touch", async () => {
    const url = servePage("/", STATIC_PAGE);
    await tab.goto(url + LANDING_QUERY);
    await expect.poll(() => sessions().length).toBe(1);
    await tab.goto(url + "?utm_source=newsletter&utm_medium=email");
    await expect.poll(() => sessions().length).toBe(2);

    const [first, second] = sessions().map((call) => call.body!);
    expect(second.visitor).toBe(first.visitor);
    expect(second.touch).toEqual(first.touch);
    expect(second.page).toBe(url + "?utm_source=newsletter&utm_medium=email");
    expect((await visit()).v).toBe(first.visitor);
  });

  it("lets a later paid click replace the first touch", async () => {
    const url = servePage("/", STATIC_PAGE);
    await tab.goto(url + "?utm_source=newsletter&utm_medium=email");
    await expect.poll(() => sessions().length).toBe(1);
    await tab.goto(url + "?msclkid=7f3e");
    await expect.poll(() => sessions().length).toBe(2);

    expect(sessions()[1].body!.touch).toEqual({ msclkid: "7f3e", landing: url + "?msclkid=7f3e", at: expect.any(Number) });
    expect((await visit()).t.landing).toBe(url + "?msclkid=7f3e");
  });

  it("still swaps when the browser refuses storage, without a word in the console", async () => {
    await context.addInitScript(() =>
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("The user denied storage", "SecurityError");
        },
      }),
    );
    await tab.goto(servePage("/", STATIC_PAGE));
    await expect.poll(() => href("#call")).toBe(`tel:${TRACKING}`);
    expect(consoleLines).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

const SPA_PAGE = `<div id="app"></div>
<script>
  const app = document.getElementById("app");
  window.changes = 0;
  new MutationObserver((records) => (window.changes += records.length)).observe(app, { subtree: true, characterData: true });
  window.render = (route) => { app.innerHTML = '<h1>' + route + '</h1><a id="cta" href="tel:+15125550134">(512) 555-0134</a>'; };
  window.render("Home");
</script>`;

describe("on a single-page app", () => {
  beforeEach(async () => {
    await tab.goto(servePage("/app", SPA_PAGE));
    await expect.poll(() => text("#cta")).toBe("(512) 555-0121");
  });

  it("swaps the number the app renders again after a route change", async () => {
    await tab.evaluate(() => (window as unknown as { render: (route: string) => void }).render("Services"));

    await expect.poll(() => text("#cta")).toBe("(512) 555-0121");
    expect(await href("#cta")).toBe(`tel:${TRACKING}`);
  });

  it("swaps a number the app writes into text or a link in place, once, without answering its own change", async () => {
    await tab.evaluate(() => {
      (window as unknown as { changes: number }).changes = 0;
      const cta = document.getElementById("cta")!;
      (cta.firstChild as Text).data = "Call 512.555.0134";
      cta.setAttribute("href", "tel:5125550134");
    });

    await expect.poll(() => text("#cta")).toBe("Call 512.555.0121");
    expect(await href("#cta")).toBe("tel:5125550121");
    await nextFrame();
    // The app's write and the script's one rewrite of it.
    expect(await tab.evaluate(() => (window as unknown as { changes: number }).changes)).toBe(2);
  });

  it("re-scans at once on Leadline.swap()", async () => {
    const swapped = await tab.evaluate(() => {
      const added = document.createElement("p");
      added.textContent = "Text us at 512-555-0134";
      document.body.append(added);
      window.Leadline!.swap();
      return added.textContent;
    });

    expect(swapped).toBe("Text us at 512-555-0121");
  });
});

describe("loaded after the page", () => {
  it("swaps when inserted once the page has loaded, as a tag manager does", async () => {
    await tab.goto(servePage("/late", '<p id="number">(512) 555-0134</p>', { trackJs: null }));
    await insertTrackScript({ client: "acme" });

    await expect.poll(() => text("#number")).toBe("(512) 555-0121");
  });
});

describe("with data-consent=\"required\"", () => {
  it("stores and asks nothing until Leadline.consent(true), then swaps", async () => {
    await tab.goto(servePage("/consent", STATIC_PAGE, { attributes: ' data-consent="required"' }) + LANDING_QUERY, { waitUntil: "networkidle" });
    expect(await scriptRan()).toBe(true);
    await tab.evaluate(() => window.Leadline!.consent(false));
    await tab.waitForLoadState("networkidle");

    expect(calls).toEqual([]);
    expect(await tab.evaluate(() => localStorage.length)).toBe(0);
    expect(await href("#call")).toBe(`tel:${PRINTED}`);

    await tab.evaluate(() => window.Leadline!.consent(true));
    await expect.poll(() => href("#call")).toBe(`tel:${TRACKING}`);
    expect(calls).toHaveLength(1);
    expect(sessions()[0].body!.touch).toMatchObject({ gclid: "Cj0KCQ" });
    expect(await tab.evaluate(() => Object.keys(localStorage))).toEqual(["leadline:acme"]);
  });
});

const HERO = `<p id="hero">Call <span id="number">512-555-0134</span> <strong id="after">today</strong></p><p>Family-run since 1987.</p>`;

/**
 * Opens a page with `data-hide` that cannot paint until the test opens its render-blocking
 * stylesheet, so the script runs before the first paint (as it does from the browser's cache).
 */
async function openHeroBeforeFirstPaint(hide: string, trackJs = `${leadline.url}/track.js`): Promise<void> {
  const url = servePage("/hero", HERO, { attributes: ` data-hide="${hide}"`, head: '<link rel="stylesheet" href="/held.css">', trackJs });
  await tab.goto(url, { waitUntil: "commit" });
  await expect.poll(scriptRan).toBe(true);
}

describe('with data-hide="ms" (anti-flicker)', () => {
  it("hides the page until the number is swapped, then shows it with no layout shift", async () => {
    const answered = gate();
    // Wider than the printed number: a swap the visitor saw would move "today".
    answerSession = async () => (await answered.opened, leased("+442079460018"));
    await openHeroBeforeFirstPaint("60000");
    stylesheet.open();
    await expect.poll(() => sessions().length).toBe(1);
    await nextFrame();
    expect(await opacity()).toBe("0");
    expect(await text("#number")).toBe("512-555-0134");

    answered.open();
    await expect.poll(opacity).toBe("1");

    // A shift of the test's own, frames after the swap: once it is counted, any before it would be.
    await nextFrame();
    await tab.evaluate(() => document.body.insertAdjacentHTML("afterbegin", '<div style="height: 40px"></div>'));
    await expect.poll(async () => (await pageRecords()).layoutShifts.length).toBeGreaterThan(0);
    expect(await pageRecords()).toEqual({
      layoutShifts: [expect.any(Number)],
      opacities: [
        ["0", "512-555-0134"],
        ["", "+442079460018"],
      ],
    });
  });

  it("shows the page with its own number once the time is up, when the answer is late", async () => {
    answerSession = () => new Promise(() => {});
    await openHeroBeforeFirstPaint("300");
    expect(await opacity()).toBe("0");
    stylesheet.open();

    await expect.poll(async () => (await pageRecords()).opacities).toEqual([
      ["0", "512-555-0134"],
      ["", "512-555-0134"],
    ]);
  });
});

type Sighting = [visibility: string, text: string | null];
const sightings = () => tab.evaluate(() => (window as unknown as { sightings: Sighting[] }).sightings);
const visibility = (selector: string) => tab.locator(selector).evaluate((element) => getComputedStyle(element).visibility);

/**
 * Opens HERO (with a tel: link whose inline style is the page's own) without the tag, waits until
 * the visitor sees it, then records from now on every change of what #number shows: whether it can
 * be seen, and its text, read at each change of the page (before any frame could show it).
 */
async function openPaintedHero(): Promise<void> {
  await tab.goto(servePage("/painted", `${HERO}<p><a id="call" href="tel:+15125550134" style="visibility: visible">Call us</a></p>`, { trackJs: null }));
  await expect.poll(() => tab.evaluate(() => performance.getEntriesByName("first-contentful-paint").length)).toBe(1);
  await tab.evaluate(() => {
    const number = document.getElementById("number")!;
    const seen: Sighting[] = [];
    (window as unknown as { sightings: Sighting[] }).sightings = seen;
    const look = () => {
      const sighting: Sighting = [getComputedStyle(number).visibility, number.textContent];
      if (String(sighting) != String(seen.at(-1))) seen.push(sighting);
    };
    look();
    new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

describe('with data-hide="ms", loaded after the page painted (async, or from a tag manager)', () => {
  it("hides only the numbers, and what the page adds meanwhile, until they are swapped; nothing moves", async () => {
    const answered = gate();
    answerSession = async () => (await answered.opened, leased());
    await openPaintedHero();
    await insertTrackScript({ client: "acme", hide: "60000" });
    await expect.poll(() => sessions().length).toBe(1);
    await tab.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<p id="added">Or text 512.555.0134</p>'));
    await nextFrame();
    expect([await visibility("#number"), await visibility("#call"), await visibility("#added"), await visibility("#after")]).toEqual(["hidden", "hidden", "hidden", "visible"]);

    answered.open();
    await expect.poll(() => visibility("#added")).toBe("visible");

    expect(await sightings()).toEqual([
      ["visible", "512-555-0134"],
      ["hidden", "512-555-0134"],
      ["hidden", "512-555-0121"],
      ["visible", "512-555-0121"],
    ]);
    expect(await text("#added")).toBe("Or text 512.555.0121");
    expect(await visibility("#call")).toBe("visible");
    expect(await tab.locator("#call").getAttribute("style")).toBe("visibility: visible");
    expect(await tab.evaluate(() => document.querySelectorAll("body *:not(#call)[style]").length)).toBe(0);
    // A shift of the test's own, frames after the swap: once it is counted, any before it would be.
    await nextFrame();
    await tab.evaluate(() => document.body.insertAdjacentHTML("afterbegin", '<div style="height: 40px"></div>'));
    await expect.poll(async () => (await pageRecords()).layoutShifts.length).toBeGreaterThan(0);
    expect(await pageRecords()).toEqual({ layoutShifts: [expect.any(Number)], opacities: [] });
  });

  it("shows the page's own number again once the time is up, when the server never answers", async () => {
    answerSession = () => new Promise(() => {});
    await openPaintedHero();
    await insertTrackScript({ client: "acme", hide: "300" });

    await expect.poll(sightings).toEqual([
      ["visible", "512-555-0134"],
      ["hidden", "512-555-0134"],
      ["visible", "512-555-0134"],
    ]);
    expect(await visibility("#call")).toBe("visible");
    expect((await pageRecords()).layoutShifts).toEqual([]);
  });
});

describe("when the API fails", () => {
  /** Opens a page with data-hide and waits until the script has given up: it shows the page again at once. */
  async function openAndWaitForTheScriptToGiveUp(trackJs?: string): Promise<void> {
    await openHeroBeforeFirstPaint("60000", trackJs);
    await expect.poll(async () => (await pageRecords()).opacities).toEqual([
      ["0", "512-555-0134"],
      ["", "512-555-0134"],
    ]);
    stylesheet.open();
  }

  it.each([
    ["answers 500", () => new Response("Internal Server Error", { status: 500 }), ["Failed to load resource: the server responded with a status of 500 (Internal Server Error)"]],
    ["answers 429", () => new Response(JSON.stringify({ error: "slow down" }), { status: 429, headers: { "retry-after": "30" } }), ["Failed to load resource: the server responded with a status of 429 (Too Many Requests)"]],
    ["answers garbage", () => new Response("<html>oops", { headers: { "content-type": "application/json" } }), []],
    ["answers JSON that is not an answer", () => ({ number: "call us", replace: "+15125550134" }), []],
  ])("keeps the page's number when the API %s, with nothing in the console but Chromium's own report", async (_, answer, browserReports) => {
    answerSession = answer;
    await openAndWaitForTheScriptToGiveUp();

    expect(await text("#number")).toBe("512-555-0134");
    await expect.poll(() => consoleLines).toEqual(browserReports.map((report) => ({ text: report, url: `${leadline.url}/api/track/session` })));
    expect(pageErrors).toEqual([]);
  });

  it("keeps the page's number when the server is down, with nothing in the console but Chromium's own report", async () => {
    const downed = await serveStandIn(leadlineStandIn);
    // The browser keeps track.js from an earlier visit (it is served for an hour), then the server goes.
    await tab.goto(servePage("/earlier", STATIC_PAGE, { trackJs: `${downed.url}/track.js` }));
    await expect.poll(() => href("#call")).toBe(`tel:${TRACKING}`);
    await downed.close();

    await openAndWaitForTheScriptToGiveUp(`${downed.url}/track.js`);

    expect(await text("#number")).toBe("512-555-0134");
    await expect.poll(() => consoleLines).toEqual([{ text: "Failed to load resource: net::ERR_CONNECTION_REFUSED", url: `${downed.url}/api/track/session` }]);
    expect(pageErrors).toEqual([]);
  });

  it("keeps the page's number when the page's fetch throws (an extension that wraps it), without a word", async () => {
    await context.addInitScript(() => {
      window.fetch = () => {
        throw new TypeError("blocked by an extension");
      };
    });
    await openAndWaitForTheScriptToGiveUp();

    expect(await text("#number")).toBe("512-555-0134");
    expect(consoleLines).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe("the heartbeat", () => {
  it("keeps the leased number while the page is open, and asks again when the lease is lost", async () => {
    answerSession = () => leased(TRACKING, 1);
    await tab.goto(servePage("/", STATIC_PAGE));
    await expect.poll(() => heartbeats().length).toBeGreaterThan(0);
    expect(heartbeats()[0]).toMatchObject({ contentType: expect.stringMatching(/^text\/plain/), body: { client: "acme", visitor: sessions()[0].body!.visitor, number: TRACKING } });
    expect(await href("#call")).toBe(`tel:${TRACKING}`);

    answerHeartbeat = () => ({ held: false });
    answerSession = () => leased(NEXT_TRACKING, 1);
    await expect.poll(() => href("#call")).toBe(`tel:${NEXT_TRACKING}`);

    expect(sessions()).toHaveLength(2);
    for (const [i, [, swapped]] of PRINTED_FORMATS.entries()) expect(await text(`#format-${i}`)).toBe(`Call ${swapped.replace(/0121$/, "0122")} today`);
    expect(await href("#call-dashed")).toBe("tel:512-555-0122");
    answerHeartbeat = () => ({ held: true });
    await expect.poll(() => heartbeats().at(-1)?.body).toEqual({ client: "acme", visitor: sessions()[0].body!.visitor, number: NEXT_TRACKING });
    expect(consoleLines).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("puts the page's own number back when the lease is lost and the server has no number to give", async () => {
    answerSession = () => leased(TRACKING, 1);
    await tab.goto(servePage("/", STATIC_PAGE));
    await expect.poll(() => href("#call")).toBe(`tel:${TRACKING}`);

    answerHeartbeat = () => ({ held: false });
    answerSession = () => ({ number: null, replace: [PRINTED], heartbeat: null });
    await expect.poll(() => href("#call")).toBe(`tel:${PRINTED}`);

    for (const [i, [printed]] of PRINTED_FORMATS.entries()) expect(await text(`#format-${i}`)).toBe(`Call ${printed} today`);
    expect(await href("#call-dashed")).toBe("tel:512-555-0134");
  });
});
