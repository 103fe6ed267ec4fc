// Network faults for a database URL: a port where nothing listens (connections are refused at
// once), a server that accepts connections and never writes a byte (the client waits until its
// own deadline, as with a hung server, a stuck pooler or a silently dropped route), and a proxy to
// a real server that can fall silent under connections a pool already holds.
import net from "node:net";

const HOST = "127.0.0.1";

type Tracked = { port: number; track(socket: net.Socket): void; close(): Promise<void> };

/** A local TCP listener that remembers every socket it touches, so close() can drop them all. */
async function listenTracked(onConnection: (socket: net.Socket, track: (socket: net.Socket) => void) => void): Promise<Tracked> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("error", () => {}); // the client giving up resets the connection; that is expected
    socket.on("close", () => sockets.delete(socket));
  };
  const server = net.createServer((socket) => {
    track(socket);
    onConnection(socket, track);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    track,
    async close() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A local port that was free a moment ago and is closed now: connecting to it is refused. */
export async function closedLocalPort(): Promise<number> {
  const listener = await listenTracked(() => {});
  await listener.close();
  return listener.port;
}

export type BlackHoleServer = {
  host: string;
  port: number;
  /** How many connections it has accepted so far. */
  readonly accepted: number;
  /** Destroys every held socket and stops listening. */
  close(): Promise<void>;
};

/** Accepts TCP connections on a local port and never answers: every byte sent to it is ignored. */
export async function startBlackHoleServer(): Promise<BlackHoleServer> {
  let accepted = 0;
  const listener = await listenTracked((socket) => {
    accepted += 1;
    socket.resume(); // read and drop whatever the client sends, so it never blocks on a full buffer
  });
  return {
    host: HOST,
    port: listener.port,
    get accepted() {
      return accepted;
    },
    close: listener.close,
  };
}

export type SilenceableProxy = {
  host: string;
  port: number;
  /** From now on, every connection, open or new, is held open and nothing more passes either way. */
  goSilent(): void;
  /** Destroys every socket, both sides, and stops listening. */
  close(): Promise<void>;
};

/**
 * A TCP proxy to `target` that can fall silent: connections the client already holds stay open but
 * carry nothing more, and new ones are accepted and never answered. This is a database that hangs
 * under a pool that is already connected to it, the common form of "accepts but never answers".
 */
export async function startSilenceableProxy(target: { host: string; port: number }): Promise<SilenceableProxy> {
  let silent = false;
  const listener = await listenTracked((client, track) => {
    if (silent) {
      client.resume();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.on("data", (chunk) => {
      if (!silent) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (!silent) client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  return {
    host: HOST,
    port: listener.port,
    goSilent() {
      silent = true;
    },
    close: listener.close,
  };
}
