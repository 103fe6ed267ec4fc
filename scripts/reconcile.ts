// npm run reconcile [-- --since 24h]: reads Twilio's call and message logs for the window (30m, 6h,
// 2d; default 24h), back-fills what Postgres lacks, collects Twilio's prices and number-days for the
// usage ledger, and prints the same report as GET /api/cron/reconcile. Needs DATABASE_URL: the
// embedded database belongs to the server process.
import { closeDatabase } from "../lib/db/get-database";
import { serverEnv } from "../lib/env";
import { reconcileFromTwilio } from "../lib/reconcile/reconcile-from-twilio";
import { DEFAULT_RECONCILE_WINDOW, parseReconcileWindow } from "../lib/reconcile/reconcile-window";

const USAGE = "usage: npm run reconcile -- [--since 24h]   (minutes, hours or days: 30m, 6h, 2d)";

function sinceArgument(args: string[]): string | undefined {
  if (args.length === 0) return DEFAULT_RECONCILE_WINDOW;
  if (args.length === 1 && args[0].startsWith("--since=")) return args[0].slice("--since=".length);
  if (args.length === 2 && args[0] === "--since") return args[1];
  return undefined;
}

async function main(): Promise<void> {
  const since = sinceArgument(process.argv.slice(2));
  const sinceMs = since === undefined ? undefined : parseReconcileWindow(since);
  if (sinceMs === undefined) {
    console.error(since === undefined ? USAGE : `--since ${since} is not a window: give a whole number of minutes, hours or days, such as 30m, 6h or 2d.`);
    process.exit(2);
  }
  const env = serverEnv();
  if (!env.databaseUrl) {
    throw new Error(
      "npm run reconcile needs DATABASE_URL; with the embedded database, ask the running server instead: " +
        `curl -H "Authorization: Bearer $CRON_SECRET" ${env.publicBaseUrl}/api/cron/reconcile (the last 2 hours)`,
    );
  }
  try {
    console.log(JSON.stringify(await reconcileFromTwilio({ sinceMs }), null, 2));
  } finally {
    await closeDatabase();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
