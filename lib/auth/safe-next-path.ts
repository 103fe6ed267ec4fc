const ORIGIN = "https://leadline.invalid";

/** Where to go after signing in: a path on this site as asked for (?next=), never another origin. */
export function safeNextPath(next: unknown, fallback = "/inbox"): string {
  if (typeof next !== "string" || !next.startsWith("/")) return fallback;
  try {
    const url = new URL(next, ORIGIN);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Parsing drops dot segments, tabs and newlines, so `/.//evil.com` comes out as `//evil.com`:
    // only what comes out says whether the browser would read it as another host.
    return url.origin === ORIGIN && !path.startsWith("//") && !path.startsWith("/\\") ? path : fallback;
  } catch {
    return fallback;
  }
}
