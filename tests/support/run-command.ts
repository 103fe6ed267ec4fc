import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type CommandRun = { exitCode: number | null; stdout: string; stderr: string };
type RunOptions = { env: Record<string, string>; timeoutMs?: number };

/** `npm run simulate -- <args>`: scripts/simulate.ts under tsx. */
export const runSimulator = (args: string[], options: RunOptions) => runNodeCommand(["--import", "tsx", path.join("scripts", "simulate.ts"), ...args], options);

/** `npm run reconcile -- <args>`: scripts/reconcile.ts under tsx. */
export const runReconcile = (args: string[], options: RunOptions) => runNodeCommand(["--import", "tsx", path.join("scripts", "reconcile.ts"), ...args], options);

/** `npm run <name> -- <args>` for a command in scripts/, e.g. `runScript("numbers-list", [])` is `npm run numbers:list`. */
export const runScript = (script: string, args: string[], options: RunOptions) => runNodeCommand(["--import", "tsx", path.join("scripts", `${script}.ts`), ...args], options);

export type RunningCommand = { output: () => string; stop: () => Promise<void> };

/**
 * Starts a long-running command in scripts/ (e.g. `startScript("worker", [])` is `npm run worker`)
 * in its own process with exactly the environment given plus PATH and HOME, and leaves it running.
 * stop() sends SIGTERM, then SIGKILL after 5 s.
 */
export function startScript(script: string, args: string[], options: { env: Record<string, string> }): RunningCommand {
  return startTypeScript(path.join("scripts", `${script}.ts`), args, options);
}

/** Starts a TypeScript file of the project (a path from its folder) under tsx, as startScript does. */
export function startTypeScript(file: string, args: string[], options: { env: Record<string, string> }): RunningCommand {
  const child = spawnNode(["--import", "tsx", file, ...args], options.env);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    output: () => output,
    async stop() {
      if (!running()) return;
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (running()) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** An npm script that runs vitest, e.g. `npm run test:live` is `runVitest(["run", "--project", "live"])`. */
export const runVitest = (args: string[], options: RunOptions) => runNodeCommand([path.join("node_modules", "vitest", "vitest.mjs"), ...args], options);

/**
 * Runs node with the arguments given as its own process in the project folder, with exactly the
 * environment given plus PATH and HOME, as a developer's shell would run it.
 */
async function runNodeCommand(args: string[], options: RunOptions): Promise<CommandRun> {
  const child = spawnNode(args, options.env);
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

function spawnNode(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    // Next's types make NODE_ENV required; a developer's shell usually has none, and neither does this.
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env } as Partial<NodeJS.ProcessEnv> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
}
