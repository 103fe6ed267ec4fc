// Leadline's service worker: /sw.js, registered by components/pwa/service-worker-registration.tsx.
// Hand-written and unbundled, because it does three small things:
// - Offline: inbox pages are fetched network-first and the last good copy of each is kept, so
//   without a connection the inbox still shows as it was last loaded (the page says it is
//   offline and read-only). Files under /_next/static are content-hashed, so they are kept
//   cache-first. Nothing else (no /api/*, no POST, no other page) is ever stored.
// - Sign-in and sign-out: opening /login or /auth/* deletes the kept pages, so the next person on
//   this device never sees them. After client-side navigations, which no request here reveals,
//   the page posts { type: "clear-offline-inbox" } on /login and { type: "keep-inbox-page", url }
//   on arriving in the inbox. "clear-offline-inbox" also unsubscribes this browser from push, so
//   the last user's new-lead notifications stop here even if the sign-out page could not.
// - Push: shows the { title, body, url } the server sends and opens its url when clicked.

const PAGES_CACHE = "leadline-pages-v1";
const ASSETS_CACHE = "leadline-assets-v1";
const MAX_PAGES = 30;
const MAX_ASSETS = 300;

// Bumped by every clear of the kept pages: a page whose fetch began before a clear (the last
// user's) is not kept when it arrives after it.
let pagesGeneration = 0;

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // The inbox request starts while the worker boots, not after.
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      const stale = (await caches.keys()).filter((name) => name.startsWith("leadline-") && name !== PAGES_CACHE && name !== ASSETS_CACHE);
      await Promise.all(stale.map((name) => caches.delete(name)));
      // The inbox that registered this worker loaded before the worker existed: keep it now, so
      // the first visit already works offline. Claiming only afterwards means that a page with a
      // controller has its inbox kept.
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      await Promise.all(windows.filter((client) => isInboxPath(new URL(client.url).pathname)).map((client) => keepPage(client.url)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && isInboxPath(url.pathname)) {
    event.respondWith(inboxNavigation(event));
  } else if (request.mode === "navigate" && isSignInPath(url.pathname)) {
    // Whoever signs in next (a magic link opens /auth/confirm directly) must not find this inbox.
    event.waitUntil(forgetKeptPages());
  } else if (url.pathname.startsWith("/_next/static/")) {
    event.respondWith(staticAsset(event));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "clear-offline-inbox") {
    event.waitUntil(Promise.all([forgetKeptPages(), unsubscribeFromPush()]));
  } else if (message.type === "keep-inbox-page" && isInboxUrl(message.url)) {
    event.waitUntil(keepPage(message.url));
  }
});

self.addEventListener("push", (event) => {
  const message = readPushMessage(event.data);
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      icon: "/icons/icon-192.png",
      // One notification per lead: a second text from the same caller replaces the first.
      tag: message.url,
      renotify: true,
      data: { url: message.url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openWindow(sameOriginUrl(event.notification.data && event.notification.data.url)));
});

function isInboxPath(pathname) {
  return pathname === "/inbox" || pathname.startsWith("/inbox/");
}

function isSignInPath(pathname) {
  return pathname === "/login" || pathname.startsWith("/auth/");
}

function isInboxUrl(value) {
  try {
    const url = new URL(value);
    return url.origin === self.location.origin && isInboxPath(url.pathname);
  } catch {
    return false;
  }
}

function forgetKeptPages() {
  pagesGeneration += 1;
  return caches.delete(PAGES_CACHE);
}

async function unsubscribeFromPush() {
  try {
    const subscription = await self.registration.pushManager.getSubscription();
    if (subscription) await subscription.unsubscribe();
  } catch {
    // No push here (or it is blocked): nothing to stop.
  }
}

async function inboxNavigation(event) {
  const generation = pagesGeneration;
  try {
    const response = (await event.preloadResponse) || (await fetch(event.request));
    // Only a page the server actually rendered is kept: a redirect (e.g. to /login) or an error is not.
    if (response.status === 200 && response.type === "basic") event.waitUntil(keepResponse(event.request.url, response.clone(), generation));
    return response;
  } catch {
    return (await keptInboxPage(event.request.url)) || offlinePage();
  }
}

async function keepPage(url) {
  const generation = pagesGeneration;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.status === 200 && !response.redirected) await keepResponse(url, response, generation);
  } catch {
    // Offline or the server is down: nothing to keep this time.
  }
}

async function keepResponse(url, response, generation) {
  const html = await response.clone().text();
  const pages = await caches.open(PAGES_CACHE);
  // Checked after the open: a clear that comes later deletes the cache this put goes into.
  if (generation !== pagesGeneration) return;
  await pages.put(url, response);
  await trim(pages, MAX_PAGES);
  await keepAssets(html);
}

// The page's scripts and styles were fetched before this worker controlled it, or may be fetched
// only later; keep every hashed file the HTML names so the kept page renders and hydrates offline.
async function keepAssets(html) {
  const assets = await caches.open(ASSETS_CACHE);
  const paths = new Set(html.match(/\/_next\/static\/[^"'\\\s<>)]+/g) || []);
  await Promise.all(
    [...paths].map(async (path) => {
      try {
        if (await assets.match(path)) return;
        const response = await fetch(path);
        if (response.ok) await assets.put(path, response);
      } catch {
        // A file that cannot be fetched now is fetched (and kept) when the page asks for it.
      }
    }),
  );
  await trim(assets, MAX_ASSETS);
}

async function keptInboxPage(url) {
  const pages = await caches.open(PAGES_CACHE);
  const exact = await pages.match(url, { ignoreVary: true });
  if (exact) return exact;
  // Keys are in the order they were kept: fall back to the inbox list loaded most recently.
  const lists = (await pages.keys()).filter((request) => new URL(request.url).pathname === "/inbox");
  return lists.length ? pages.match(lists[lists.length - 1], { ignoreVary: true }) : undefined;
}

async function staticAsset(event) {
  const assets = await caches.open(ASSETS_CACHE);
  const kept = await assets.match(event.request.url, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(event.request);
  if (response.ok && response.type === "basic") event.waitUntil(assets.put(event.request.url, response.clone()));
  return response;
}

async function trim(cache, max) {
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((key) => cache.delete(key)));
}

function offlinePage() {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Leadline</title></head>
<body style="font-family:system-ui,sans-serif;margin:0;padding:3rem 1.5rem;background:#f8fafc;color:#0f172a">
<main style="max-width:32rem;margin:auto"><h1 style="font-size:1.5rem">You're offline</h1>
<p>This page hasn't been opened on this device yet, so there is no copy to show. Open the inbox again once you're back online.</p></main></body></html>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

function readPushMessage(data) {
  let payload = {};
  try {
    payload = data ? data.json() : {};
  } catch {
    payload = { body: data.text() };
  }
  return {
    title: typeof payload.title === "string" && payload.title ? payload.title : "Leadline",
    body: typeof payload.body === "string" ? payload.body : "",
    url: sameOriginUrl(payload.url),
  };
}

// A push payload or notification could name any address; only this app's own pages are opened.
function sameOriginUrl(value) {
  const inbox = new URL("/inbox", self.location.origin).href;
  if (typeof value !== "string") return inbox;
  try {
    const url = new URL(value, self.location.origin);
    return url.origin === self.location.origin ? url.href : inbox;
  } catch {
    return inbox;
  }
}

async function openWindow(url) {
  const windows = await self.clients.matchAll({ type: "window" });
  const open = windows.find((client) => client.url === url);
  if (open) return open.focus();
  if (windows.length > 0) {
    // Reuse the installed app's window rather than opening a second one.
    const navigated = await windows[0].navigate(url).catch(() => null);
    if (navigated) return navigated.focus();
  }
  return self.clients.openWindow(url);
}
