// public/sw.js in the system Chromium, served as-is from a local origin whose pages stand in for
// Next's rendered inbox (an HTML page naming its hashed script and stylesheet under /_next/static).
// The end-to-end run proves the same on the real app; this pins down what the worker keeps.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchSystemChromium } from "../support/chromium";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";

const SERVICE_WORKER = readFileSync(path.resolve(import.meta.dirname, "../../public/sw.js"), "utf8");

let renders = 0;
const requests: string[] = [];
// Pages the server answers only when the test says: a save the worker began, still on its way.
const held = new Map<string, () => void>();

function page(title: string): string {
  renders += 1;
  return `<!doctype html><html lang="en"><head><title>${title}</title>
<link rel="stylesheet" href="/_next/static/css/app-1a2b.css"><script src="/_next/static/chunks/app-3c4d.js" defer></script></head>
<body><main><h1>${title}</h1><p>render ${renders}</p></main></body></html>`;
}

async function leadlineStandIn(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  requests.push(pathname);
  const html = (body: string) => new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
  const release = held.get(pathname);
  if (release) await new Promise<void>((resolve) => held.set(pathname, resolve));
  if (pathname === "/sw.js") return new Response(SERVICE_WORKER, { headers: { "content-type": "application/javascript" } });
  if (pathname === "/inbox") return html(page("Inbox"));
  if (pathname.startsWith("/inbox/")) return html(page(`Thread ${pathname.slice("/inbox/".length)}`));
  if (pathname === "/reports") return html(page("Reports"));
  if (pathname === "/login") return html(page("Sign in"));
  if (pathname === "/_next/static/css/app-1a2b.css") return new Response("h1 { color: rgb(67, 56, 202); }", { headers: { "content-type": "text/css" } });
  if (pathname === "/_next/static/chunks/app-3c4d.js") {
    const script = "document.documentElement.dataset.hydrated = 'yes'; navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });";
    return new Response(script, { headers: { "content-type": "application/javascript" } });
  }
  if (pathname === "/api/inbox/changes") return Response.json({ marker: String(renders) });
  return new Response("not found", { status: 404 });
}

let browser: Browser;
let origin: RunningStandIn;
let context: BrowserContext;
let tab: Page;

beforeAll(async () => {
  origin = await serveStandIn(leadlineStandIn);
  browser = await launchSystemChromium();
});

afterAll(async () => {
  await browser?.close();
  await origin?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ baseURL: origin.url, serviceWorkers: "allow" });
  tab = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

/** The first visit: the page registers the worker, which keeps an inbox page before it takes control. */
async function visitUntilControlled(pagePath: string): Promise<void> {
  await tab.goto(pagePath);
  await tab.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

async function shown(): Promise<{ heading: string; color: string; hydrated: string | undefined }> {
  return tab.evaluate(() => {
    const heading = document.querySelector("h1")!;
    return { heading: heading.textContent ?? "", color: getComputedStyle(heading).color, hydrated: document.documentElement.dataset.hydrated };
  });
}

describe("offline, the service worker", () => {
  it("shows the inbox as it was last loaded, styled and scripted, without asking the server", async () => {
    await visitUntilControlled("/inbox");
    await context.setOffline(true);
    const asked = requests.length;

    await tab.reload();

    expect(await shown()).toEqual({ heading: "Inbox", color: "rgb(67, 56, 202)", hydrated: "yes" });
    expect(requests.slice(asked)).toEqual([]);
  });

  it("shows a thread opened online, and the inbox for a thread never opened", async () => {
    await visitUntilControlled("/inbox");
    await tab.goto("/inbox/lead-1");
    await context.setOffline(true);

    await tab.reload();
    expect((await shown()).heading).toBe("Thread lead-1");

    await tab.goto("/inbox/lead-2");
    expect((await shown()).heading).toBe("Inbox");
  });

  it("keeps a page reached by a client-side navigation when the page asks", async () => {
    await visitUntilControlled("/reports");
    // What components/pwa/service-worker-registration.tsx does after the router moves to a thread.
    await tab.evaluate(() => {
      history.pushState(null, "", "/inbox/lead-3");
      navigator.serviceWorker.controller!.postMessage({ type: "keep-inbox-page", url: location.href });
    });
    await expect.poll(() => tab.evaluate(() => caches.match(location.href).then(Boolean))).toBe(true);
    await context.setOffline(true);

    await tab.reload();

    expect((await shown()).heading).toBe("Thread lead-3");
  });

  it("keeps nothing but inbox pages: the API and other pages are not there offline", async () => {
    await visitUntilControlled("/inbox");
    await tab.goto("/reports");
    expect(await tab.evaluate(async () => (await fetch("/api/inbox/changes")).ok)).toBe(true);
    await context.setOffline(true);

    expect(await tab.evaluate(() => fetch("/api/inbox/changes").then(() => "answered", () => "failed"))).toBe("failed");
    await expect(tab.goto("/reports")).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  });

  it("forgets the kept inbox when told at sign-out, and says so instead of showing it", async () => {
    await visitUntilControlled("/inbox");
    // What components/pwa/service-worker-registration.tsx sends from /login.
    await tab.evaluate(() => navigator.serviceWorker.controller!.postMessage({ type: "clear-offline-inbox" }));
    await expect.poll(() => tab.evaluate(() => caches.keys())).not.toContain("leadline-pages-v1");
    await context.setOffline(true);

    const response = await tab.reload();

    expect(response?.status()).toBe(503);
    expect((await shown()).heading).toBe("You're offline");
  });

  it("does not keep a page whose save began before sign-out and arrived after it", async () => {
    await visitUntilControlled("/reports");
    held.set("/inbox/lead-late", () => {});
    const keep = (url: string) => tab.evaluate((href) => navigator.serviceWorker.controller!.postMessage({ type: "keep-inbox-page", url: href }), `${origin.url}${url}`);
    const kept = (url: string) => tab.evaluate((href) => caches.match(href).then(Boolean), `${origin.url}${url}`);
    await keep("/inbox/lead-late");
    await expect.poll(() => requests.includes("/inbox/lead-late")).toBe(true);

    await tab.evaluate(() => navigator.serviceWorker.controller!.postMessage({ type: "clear-offline-inbox" }));
    await expect.poll(() => tab.evaluate(() => caches.keys())).not.toContain("leadline-pages-v1");
    held.get("/inbox/lead-late")!();
    held.delete("/inbox/lead-late");
    // Kept after the late page's answer, which the worker had by then: once this is kept, that was dealt with.
    await keep("/inbox/lead-next");
    await expect.poll(() => kept("/inbox/lead-next")).toBe(true);

    expect(await kept("/inbox/lead-late")).toBe(false);
  });

  it("forgets the kept inbox when the sign-in page is opened", async () => {
    await visitUntilControlled("/inbox");
    await tab.goto("/login");
    await expect.poll(() => tab.evaluate(() => caches.keys())).not.toContain("leadline-pages-v1");
    await context.setOffline(true);

    expect((await tab.goto("/inbox"))?.status()).toBe(503);
  });
});

describe("a push message", () => {
  // How Chrome hands the worker a push, as the push service would.
  async function deliverPush(payload: unknown): Promise<void> {
    const session = await context.newCDPSession(tab);
    const registered = new Promise<string>((resolve) =>
      session.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const ours = registrations.find((registration) => registration.scopeURL === `${origin.url}/` && !registration.isDeleted);
        if (ours) resolve(ours.registrationId);
      }),
    );
    await session.send("ServiceWorker.enable");
    await session.send("ServiceWorker.deliverPushMessage", { origin: origin.url, registrationId: await registered, data: JSON.stringify(payload) });
  }

  const notifications = () =>
    tab.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map(({ title, body, data }) => ({ title, body, url: (data as { url: string }).url })),
    );

  beforeEach(async () => {
    await context.grantPermissions(["notifications"], { origin: origin.url });
    await visitUntilControlled("/inbox");
  });

  it("shows the title and body the server sent, opening the lead's thread", async () => {
    await deliverPush({ title: "New call from (512) 555-0134", body: "Missed call · Google Ads", url: "/inbox/lead-7" });

    await expect.poll(notifications).toEqual([{ title: "New call from (512) 555-0134", body: "Missed call · Google Ads", url: `${origin.url}/inbox/lead-7` }]);
  });

  it("never points a notification at another site", async () => {
    await deliverPush({ title: "New text", body: "Hi", url: "https://attacker.example/inbox" });

    await expect.poll(notifications).toEqual([{ title: "New text", body: "Hi", url: `${origin.url}/inbox` }]);
  });
});
