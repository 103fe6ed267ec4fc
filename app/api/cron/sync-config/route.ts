// GET /api/cron/sync-config – Vercel Cron, every 5 minutes: copies the Airtable Client Configuration
// table into the routing snapshot (edited and deleted rows take effect without a deploy) and pulls the
// statuses staff changed in the Lead Pipeline; a part whose webhook is live only hourly.
import { cronRoute } from "@/lib/cron/cron-route";
import { syncFromAirtable } from "@/lib/config/sync-from-airtable";

export const maxDuration = 60;

export const GET = cronRoute(syncFromAirtable);
