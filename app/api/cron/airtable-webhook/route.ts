// GET /api/cron/airtable-webhook – Vercel Cron, daily: refreshes the Airtable webhooks (they expire
// after 7 days) and makes anew any Airtable disabled or lost, so syncs stay hourly.
import { cronRoute } from "@/lib/cron/cron-route";
import { refreshAirtableWebhooksOnSchedule } from "@/lib/airtable/refresh-airtable-webhooks";

export const maxDuration = 60;

export const GET = cronRoute(refreshAirtableWebhooksOnSchedule);
