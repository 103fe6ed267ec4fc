const ORIGIN = "https://leadline.invalid";

/** Where to go after signing in: a path on this site as asked for (?next=), never another origin. */
export function safeNextPath(next: unknown, fallback = "/inbox"): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return fallback;
  try {
    const url = new URL(next, ORIGIN);
    return url.origin === ORIGIN ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
