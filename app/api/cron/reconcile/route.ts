// GET /api/cron/reconcile – Vercel Cron (every 10 minutes): back-fills the calls and texts of the
// last 2 hours that Twilio logged and Postgres lacks, and texts a missed caller back if it is not too
// late; collects Twilio's prices for the usage ledger and writes the days each number was held.
import { cronRoute } from "@/lib/cron/cron-route";
import { reconcileFromTwilio } from "@/lib/reconcile/reconcile-from-twilio";
import { CRON_RECONCILE_WINDOW_MS } from "@/lib/reconcile/reconcile-window";

export const maxDuration = 60;

export const GET = cronRoute(() => reconcileFromTwilio({ sinceMs: CRON_RECONCILE_WINDOW_MS }));
