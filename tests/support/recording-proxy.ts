import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { maxInAnyRollingSecond } from "./stand-ins/airtable/base";
import { incomingHeaders, readIncomingBody } from "./stand-ins/serve-stand-in";

export type ProxiedRequest = { method: string; path: string; baseId?: string; at: number; status?: number };

// Hop-by-hop headers, and the ones fetch recomputes for the upstream request or has already undone
// on the answer (it decompresses the body).
const NOT_FORWARDED = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"]);

/**
 * A local HTTP proxy in front of an Airtable API, the stand-in or the real one, logging every
 * request it forwards. The app is pointed at it, so a scenario observes what reached the base (how
 * many requests in any rolling second, how many 429s) the same way against either.
 */
export async function startRecordingProxy(upstream: string) {
  const log: ProxiedRequest[] = [];
  const server: Server = createServer(async (incoming, outgoing) => {
    const entry: ProxiedRequest = { method: incoming.method ?? "GET", path: incoming.url ?? "/", baseId: baseIdOf(incoming.url ?? "/"), at: Date.now() };
    log.push(entry);
    try {
      const response = await fetch(new URL(entry.path, upstream), {
        method: entry.method,
        headers: incomingHeaders(incoming, NOT_FORWARDED),
        body: entry.method === "GET" || entry.method === "HEAD" ? undefined : await readIncomingBody(incoming),
      });
      entry.status = response.status;
      outgoing.writeHead(response.status, Object.fromEntries([...response.headers].filter(([name]) => !NOT_FORWARDED.has(name))));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.writeHead(502, { "content-type": "text/plain" });
      outgoing.end(`recording proxy could not reach ${upstream}: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const toBase = (baseId: string, since: number) => log.filter((entry) => entry.baseId === baseId && entry.at >= since);
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    /** The most requests sent to a base within any 1000 ms, counting from `since` (ms epoch). */
    maxRequestsInAnyRollingSecond: (baseId: string, since = 0) => maxInAnyRollingSecond(toBase(baseId, since).map((entry) => entry.at)),
    count429: (baseId: string, since = 0) => toBase(baseId, since).filter((entry) => entry.status === 429).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type RecordingProxy = Awaited<ReturnType<typeof startRecordingProxy>>;

/** The base a request addresses: /v0/{base}/…, /v0/meta/bases/{base}/… or /v0/bases/{base}/…. */
function baseIdOf(path: string): string | undefined {
  return /^\/v0\/(?:meta\/bases\/|bases\/)?(app[A-Za-z0-9]{14})(?:[/?]|$)/.exec(path)?.[1];
}
