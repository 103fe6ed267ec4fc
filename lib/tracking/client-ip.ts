/**
 * The address a tracking request came from, for its rate limit: the first `x-forwarded-for` entry
 * (Vercel and proxies set it; `next start` adds the socket's address only when the header is
 * absent), else `x-real-ip`, else "unknown". Without a proxy that overwrites the header a caller
 * can choose it, so production must sit behind one.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return (forwarded || headers.get("x-real-ip")?.trim() || "unknown").slice(0, 64);
}
