// Waiting for what a user would see, since playwright-core has no `expect`: poll a condition and
// fail with what was awaited.
import { performance } from "node:perf_hooks";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with the condition's first truthy value; throws "timed out after N s waiting for <what>". */
export async function until<T>(condition: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const cause = lastError ? ` (last error: ${(lastError as Error).message.split("\n")[0]})` : "";
      throw new Error(`timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}${cause}`);
    }
    await sleep(100);
  }
}

/** Seconds since `startedAt` (a performance.now() reading), to two decimals. */
export const secondsSince = (startedAt: number) => Math.round((performance.now() - startedAt) / 10) / 100;
