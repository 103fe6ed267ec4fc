// GET /api/cron/outbox – Vercel Cron (every minute): delivers due Lead Pipeline jobs to Airtable.
import { cronRoute } from "@/lib/cron/cron-route";
import { drainOutbox } from "@/lib/outbox/drain-outbox";

export const maxDuration = 60;

export const GET = cronRoute(() => drainOutbox({ maxMs: 50_000 }));
