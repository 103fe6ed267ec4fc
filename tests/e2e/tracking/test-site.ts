// The client's own website for the tracking run: the pages in ./pages, served by a small node server
// on a port of its own, so they are a second origin beside the app. One server answers two origins:
// http://localhost:<port>, whose host is in Acme's Website Domains, and http://127.0.0.1:<port>,
// whose host is not. Each page loads track.js from the app, as a client installs it.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ACME_SITE } from "./seeded-tracking";

const PAGES = path.join(import.meta.dirname, "pages");

/** Path → the page's file and what fills its {{PLACEHOLDERS}}, beside {{TRACK_JS}} and {{CLIENT}}. */
const ROUTES: Record<string, { file: string; fill?: Record<string, string> }> = {
  "/static.html": { file: "static.html" },
  "/spa.html": { file: "spa.html" },
  "/consent.html": { file: "consent.html" },
  "/anti-flicker.html": { file: "anti-flicker.html", fill: { HIDE: ' data-hide="1000"' } },
  "/no-anti-flicker.html": { file: "anti-flicker.html", fill: { HIDE: "" } },
  "/timing.html": { file: "timing.html" },
};

export type TestSite = {
  /** The page at `pathAndQuery` on the origin whose host is in Website Domains. */
  allowed: (pathAndQuery: string) => string;
  /** The same page on an origin whose host is not. */
  foreign: (pathAndQuery: string) => string;
  /** Where the pages load track.js from: the app under test. */
  useApp: (appUrl: string) => void;
  close: () => Promise<void>;
};

/** How long the site's stylesheet takes, as a real site's does: the page cannot paint before it. */
export const STYLESHEET_MS = 250;

export async function startTestSite(): Promise<TestSite> {
  let appUrl = "";
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://site").pathname;
    if (pathname === "/site.css") {
      setTimeout(() => response.writeHead(200, { "content-type": "text/css", "cache-control": "no-store" }).end("p { margin: 16px 24px; }"), STYLESHEET_MS);
      return;
    }
    const route = ROUTES[pathname];
    if (!route || request.method !== "GET") {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const fill: Record<string, string> = { TRACK_JS: `${appUrl}/track.js`, CLIENT: ACME_SITE.client, ...route.fill };
    const html = readFileSync(path.join(PAGES, route.file), "utf8").replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => fill[name] ?? "");
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    allowed: (pathAndQuery) => `http://localhost:${port}${pathAndQuery}`,
    foreign: (pathAndQuery) => `http://127.0.0.1:${port}${pathAndQuery}`,
    useApp: (url) => (appUrl = url),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
