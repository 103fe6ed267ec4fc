// What the benchmark commands share: their knobs, percentiles, a throw-away PostgreSQL database,
// a cleanup that never hangs, and one way to run: clean up on success, failure or a signal, then
// exit with the verdict.
import pg from "pg";
import type { Database } from "../../lib/db/database";
import { migrateDatabase } from "../../lib/db/migrate-database";
import { openPostgresDatabase } from "../../lib/db/open-postgres-database";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A positive number from the environment, for the knobs a benchmark documents in its header. */
export function numberFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** The nearest-rank percentile: the value at or below which p % of the samples lie. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs one statement on the PostgreSQL server itself (create or drop a database). */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates a throw-away database on the server, says so through `created` (so cleanup drops it even
 * if what follows fails), applies the migrations and lets `fill` put in what the run needs.
 */
export async function prepareThrowAwayDatabase<T>(serverUrl: string, name: string, created: () => void, fill: (db: Database) => Promise<T>): Promise<T> {
  await adminQuery(serverUrl, `create database ${name}`);
  created();
  const db = openPostgresDatabase(databaseUrlFor(serverUrl, name), { deadlineMs: 0, max: 1 });
  try {
    await migrateDatabase(db);
    return await fill(db);
  } finally {
    await db.close();
  }
}

/** One cleanup step: a failure or a hang (15 s) is reported, and the next step still runs. */
export async function cleanupStep(what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await Promise.race([work(), sleep(15_000).then(() => Promise.reject(new Error("timed out")))]);
  } catch (error) {
    console.error(`cleanup: ${what} failed: ${(error as Error).message}`);
  }
}

/** Prints why, cleans up and exits: for watchdogs and signals. */
export async function bail(code: number, message: string, cleanUp: () => Promise<void>): Promise<never> {
  console.error(message);
  await cleanUp();
  process.exit(code);
}

/** Runs a benchmark's main (its exit code), always cleaning up, including on SIGINT or SIGTERM. */
export async function runBench(name: string, main: () => Promise<number>, cleanUp: () => Promise<void>): Promise<never> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void bail(130, `${name}: ${signal}, cleaning up`, cleanUp));
  let exitCode = 1;
  try {
    exitCode = await main();
  } catch (error) {
    console.error(`${name} failed:`, error);
    exitCode = 1;
  } finally {
    await cleanUp();
  }
  process.exit(exitCode);
}
