import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const SOURCES = ["app", "components", "lib", "public", "instrumentation.ts", "proxy.ts", "next.config.ts", "postcss.config.mjs", "package.json"];

function newestSourceMtime(entry: string): number {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((child) => newestSourceMtime(path.join(entry, child))));
}

/**
 * Runs `next build` unless the dist dir (.next, or `distDir`, which next.config.ts reads from
 * NEXT_DIST_DIR) holds a build newer than every source file. No secrets are passed.
 */
export function ensureProductionBuild(options: { distDir?: string } = {}): void {
  const distDir = options.distDir ?? ".next";
  const buildId = path.join(ROOT, distDir, "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...SOURCES.map(newestSourceMtime))) return;
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir },
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export type RunningServer = {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
  /** SIGKILL, as a crash or an OOM kill ends a process: no shutdown, no after() work finished. */
  kill: () => Promise<void>;
};

/**
 * Starts `next start` (or `next dev`) on `port` (else a free one) with exactly the environment
 * given (plus PATH and HOME), and waits until /api/health/live answers. A server that must know its
 * own URL (PUBLIC_BASE_URL) takes a port from freePort() first.
 */
export async function startNextServer(options: { env: Record<string, string>; mode?: "start" | "dev"; timeoutMs?: number; port?: number }): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, options.mode ?? "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      NODE_ENV: options.mode === "dev" ? "development" : "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!gone()) {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (!gone()) process.kill(-child.pid!, "SIGKILL");
    }
  };
  const kill = async () => {
    if (gone()) return;
    process.kill(-child.pid!, "SIGKILL");
    await exited;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (gone()) throw new Error(`next ${options.mode ?? "start"} exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health/live`);
      if (response.ok) return { url, output: () => output, stop, kill };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`next ${options.mode ?? "start"} did not answer within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
}
