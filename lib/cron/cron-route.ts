import { timingSafeEqual } from "node:crypto";
import { serverEnv } from "../env";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A scheduled job's GET handler, as Vercel Cron calls it: `Authorization: Bearer CRON_SECRET`.
 * Every job goes through here, so none can forget the check.
 */
export function cronRoute(job: () => Promise<unknown>) {
  return async function GET(request: Request): Promise<Response> {
    const secret = serverEnv().cronSecret;
    if (!secret) return Response.json({ error: "CRON_SECRET is not set, so scheduled jobs are off" }, { status: 503 });
    if (!sameSecret(request.headers.get("authorization") ?? "", `Bearer ${secret}`)) {
      return Response.json({ error: "missing or wrong Authorization: Bearer CRON_SECRET" }, { status: 401 });
    }
    return Response.json(await job());
  };
}
