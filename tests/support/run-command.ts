import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type CommandRun = { exitCode: number | null; stdout: string; stderr: string };
type RunOptions = { env: Record<string, string>; timeoutMs?: number };

/** `npm run simulate -- <args>`: scripts/simulate.ts under tsx. */
export const runSimulator = (args: string[], options: RunOptions) => runNodeCommand(["--import", "tsx", path.join("scripts", "simulate.ts"), ...args], options);

/** `npm run reconcile -- <args>`: scripts/reconcile.ts under tsx. */
export const runReconcile = (args: string[], options: RunOptions) => runNodeCommand(["--import", "tsx", path.join("scripts", "reconcile.ts"), ...args], options);

/** An npm script that runs vitest, e.g. `npm run test:live` is `runVitest(["run", "--project", "live"])`. */
export const runVitest = (args: string[], options: RunOptions) => runNodeCommand([path.join("node_modules", "vitest", "vitest.mjs"), ...args], options);

/**
 * Runs node with the arguments given as its own process in the project folder, with exactly the
 * environment given plus PATH and HOME, as a developer's shell would run it.
 */
async function runNodeCommand(args: string[], options: RunOptions): Promise<CommandRun> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // Next's types make NODE_ENV required; a developer's shell usually has none, and neither does this.
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...options.env } as Partial<NodeJS.ProcessEnv> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve(code));
    });
    if (exitCode === null) stderr += `\n(killed after ${timeoutMs} ms)`;
    return { exitCode, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}
