// GET /api/cron/outbox – Vercel Cron (every minute): delivers due Lead Pipeline jobs to Airtable. The
// floor under delivery: wake-ups after webhooks and catch-up timers only make it sooner.
import { cronRoute } from "@/lib/cron/cron-route";
import { drainOutboxOnSchedule } from "@/lib/outbox/drain-outbox";

export const maxDuration = 60;

// No request starts after 45 s; with a 2 s slot wait and an 8 s timeout the drain still ends
// inside the 60 s Vercel gives the function.
export const GET = cronRoute(() => drainOutboxOnSchedule(45_000));
