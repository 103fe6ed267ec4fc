// A TCP proxy in front of a real PostgreSQL server that can refuse or hang on command, for fault
// runs against a server process that holds its own connection pool.
import net from "node:net";

export type DatabaseFaultMode = "pass" | "refuse" | "hang";

export type DatabaseFaultProxy = {
  /** A copy of `databaseUrl` that goes through the proxy. */
  url: string;
  readonly mode: DatabaseFaultMode;
  /**
   * pass: bytes flow both ways. refuse: every open connection is cut and the port stops listening,
   * so new connections are refused at once. hang: every connection, open or new, is held and
   * carries nothing more, as a server that accepts and never answers.
   */
  setMode(mode: DatabaseFaultMode): Promise<void>;
  close(): Promise<void>;
};

export async function startDatabaseFaultProxy(databaseUrl: string): Promise<DatabaseFaultProxy> {
  const target = new URL(databaseUrl);
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<net.Socket>();
  let mode: DatabaseFaultMode = "pass";

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode !== "pass") {
      client.resume();
      return;
    }
    const upstream = net.connect(targetPort, target.hostname);
    track(upstream);
    client.on("data", (chunk) => {
      if (mode === "pass") upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (mode === "pass") client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  return {
    url: url.toString(),
    get mode() {
      return mode;
    },
    async setMode(next) {
      const previous = mode;
      if (next === previous) return;
      mode = next;
      if (next === "refuse") {
        dropAll();
        if (previous !== "refuse") await stopListening();
        return;
      }
      if (previous === "refuse") await listen(port);
      // Bytes dropped during a hang leave those connections unusable: a recovered network resets them.
      if (next === "pass" && previous === "hang") dropAll();
    },
    async close() {
      dropAll();
      if (mode !== "refuse") await stopListening();
    },
  };
}
