// GET /api/cron/follow-ups – Vercel Cron (every minute): pushes new leads not yet pushed (and drops
// alerts older than an hour), settles calls whose decision is due and sends their text-backs, and
// finishes text-backs left stuck, for any webhook process that did not live to do it.
import { cronRoute } from "@/lib/cron/cron-route";
import { runCallFollowUps } from "@/lib/calls/run-call-follow-ups";

export const maxDuration = 60;

export const GET = cronRoute(runCallFollowUps);
