// The load balancer in front of bench:scale's `next start` instances, as a small node HTTP proxy:
// each request goes to the next instance in turn. An instance that refuses the connection is
// skipped at once (the request goes on to the next one, which is safe: nothing of it reached the
// refusing instance) and is marked down until a health check of /api/health/live answers again.
// A request that reached an instance is never sent again: if the instance dies before answering,
// the client gets a 502, as from a real load balancer. The client's address is appended to
// X-Forwarded-For, as Vercel and reverse proxies do.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readIncomingBody } from "../../support/stand-ins/serve-stand-in";

const HEALTH_CHECK_EVERY_MS = 500;
// Answers slower than Twilio's 15 s are failures anyway; this only ends requests that hang.
const UPSTREAM_TIMEOUT_MS = 60_000;

export type InstanceTally = { forwarded: number; refused: number; diedMidRequest: number };

export type RoundRobinProxy = {
  url: string;
  /** Per instance: requests it got, connections it refused (sent on to the next), requests it took and never answered. */
  tallies: InstanceTally[];
  /** Whether the proxy currently sends requests to each instance. */
  up: () => boolean[];
  close: () => Promise<void>;
};

/** Which instance answered, for a caller that wants to see the spread. */
export const INSTANCE_HEADER = "x-bench-instance";

// The body is sent whole with its length, so a chunked request's framing header must not go on.
const passedOn = (headers: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => name !== "transfer-encoding"));

export async function startRoundRobinProxy(instanceUrls: string[]): Promise<RoundRobinProxy> {
  const instances = instanceUrls.map((url) => new URL(url));
  const tallies: InstanceTally[] = instances.map(() => ({ forwarded: 0, refused: 0, diedMidRequest: 0 }));
  const down = instances.map(() => false);
  let next = 0;

  const healthChecks = setInterval(() => {
    instances.forEach((instance, index) => {
      if (!down[index]) return;
      const probe = http.get({ host: instance.hostname, port: instance.port, path: "/api/health/live", agent: false, timeout: 5000 }, (response) => {
        response.resume();
        if (response.statusCode === 200) down[index] = false;
      });
      probe.on("timeout", () => probe.destroy());
      probe.on("error", () => {});
    });
  }, HEALTH_CHECK_EVERY_MS);

  /** Sends the request to one instance: "refused" when its connection was refused, else the request reached it. */
  function forward(index: number, incoming: http.IncomingMessage, body: Buffer, outgoing: http.ServerResponse): Promise<"refused" | "reached"> {
    const instance = instances[index];
    const forwardedFor = [incoming.headers["x-forwarded-for"], incoming.socket.remoteAddress].filter(Boolean).join(", ");
    return new Promise((resolve) => {
      let connected = false;
      const upstream = http.request(
        {
          host: instance.hostname,
          port: instance.port,
          method: incoming.method,
          path: incoming.url,
          // A fresh connection per request, so a refused connect is told apart from a request that reached the instance.
          agent: false,
          headers: { ...passedOn(incoming.headers), "x-forwarded-for": forwardedFor, "content-length": String(body.length), connection: "close" },
          timeout: UPSTREAM_TIMEOUT_MS,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, { ...response.headers, [INSTANCE_HEADER]: String(index) });
          response.pipe(outgoing);
          response.on("error", () => outgoing.destroy());
          resolve("reached");
        },
      );
      upstream.on("socket", (socket) => socket.once("connect", () => (connected = true)));
      upstream.on("timeout", () => upstream.destroy(new Error(`no answer within ${UPSTREAM_TIMEOUT_MS} ms`)));
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        if (!connected && error.code === "ECONNREFUSED") return resolve("refused");
        tallies[index].diedMidRequest += 1;
        if (!outgoing.headersSent) {
          outgoing.writeHead(502, { "content-type": "text/plain", [INSTANCE_HEADER]: String(index) });
          outgoing.end(`instance ${index} failed mid-request: ${error.message}\n`);
        } else outgoing.destroy();
        resolve("reached");
      });
      upstream.end(body);
    });
  }

  const server = http.createServer(async (incoming, outgoing) => {
    const body = await readIncomingBody(incoming);
    for (let tried = 0; tried < instances.length; tried += 1) {
      const index = next;
      next = (next + 1) % instances.length;
      if (down[index]) continue;
      if ((await forward(index, incoming, body, outgoing)) === "reached") {
        tallies[index].forwarded += 1;
        return;
      }
      tallies[index].refused += 1;
      down[index] = true;
    }
    outgoing.writeHead(503, { "content-type": "text/plain" });
    outgoing.end("no instance is up\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    tallies,
    up: () => down.map((isDown) => !isDown),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(healthChecks);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
