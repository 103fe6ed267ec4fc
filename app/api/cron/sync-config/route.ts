// GET /api/cron/sync-config – Vercel Cron: copies the Airtable Client Configuration table into the
// routing snapshot, so edited and deleted rows take effect without a deploy.
import { cronRoute } from "@/lib/cron/cron-route";
import { syncConfigFromEnv } from "@/lib/config/sync-config-from-env";

export const maxDuration = 60;

export const GET = cronRoute(syncConfigFromEnv);
