import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type SimulatorRun = { exitCode: number | null; stdout: string; stderr: string };

/**
 * Runs `npm run simulate -- <args>` (scripts/simulate.ts under tsx) as its own process, with
 * exactly the environment given plus PATH and HOME, as a developer's shell would run it.
 */
export async function runSimulator(args: string[], options: { env: Record<string, string>; timeoutMs?: number }): Promise<SimulatorRun> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "simulate.ts"), ...args], {
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
    if (exitCode === null) stderr += `\n(simulator killed after ${timeoutMs} ms)`;
    return { exitCode, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}
