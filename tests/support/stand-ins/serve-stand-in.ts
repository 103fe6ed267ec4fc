import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { StandIn } from "./stand-in";

export type RunningStandIn = { url: string; close: () => Promise<void> };

/**
 * Serves a stand-in on a real local port, for a server process (next start) to call; over https at
 * 127.0.0.1 with `tls` (a certificate for that address, e.g. tests/support/self-signed-certificate.ts).
 */
export async function serveStandIn(handle: StandIn, options: { tls?: { key: string; cert: string } } = {}): Promise<RunningStandIn> {
  const listener: RequestListener = async (incoming, outgoing) => {
    try {
      const response = await handle(await toRequest(incoming));
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(String(error));
    }
  };
  const server: Server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readIncomingBody(incoming: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The headers of a request a node server received, as web Headers, less the ones named. */
export function incomingHeaders(incoming: IncomingMessage, leaveOut: ReadonlySet<string> = new Set()): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined && !leaveOut.has(name)) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

async function toRequest(incoming: IncomingMessage): Promise<Request> {
  const body = await readIncomingBody(incoming);
  const headers = incomingHeaders(incoming);
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(`${"encrypted" in incoming.socket ? "https" : "http"}://${incoming.headers.host}${incoming.url}`, {
    method: incoming.method,
    headers,
    body: hasBody ? body : undefined,
  });
}
