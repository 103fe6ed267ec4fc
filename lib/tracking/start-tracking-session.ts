import { classifyVisit } from "./classify-visit";
import type { SiteRow } from "./read-site-config";
import { takeTrackingNumber } from "./take-tracking-number";
import { HEARTBEAT_SECONDS } from "./tracking-limits";
import type { TrackSession } from "./tracking-requests";
import type { TrackingCall, TrackingOutcome } from "./tracking-route";

/** What the script does: show `number` (null: keep the page's own) where `replace` is printed; heartbeat every `heartbeat` s. */
export type SessionAnswer = { number: string | null; replace: string[]; heartbeat: number | null };

/**
 * Which number a visit shows. The visit is classified into a source; the client's rows with that
 * Source answer, else its catch-all rows (no Source, or "Website"). Pool rows among them lease the
 * visitor a number, or, when all are taken, give the pool's Fallback Number, else the number of a
 * Source row of the same rows; without Pool rows the first Source row's number answers.
 */
export async function startTrackingSession({ db, site, body, ip }: TrackingCall<TrackSession>): Promise<TrackingOutcome<SessionAnswer>> {
  const source = classifyVisit(body.touch, site.ruleRows);
  const rows = answeringRows(site.rows, source);
  const pool = rows.filter((row) => row.numberType === "Pool");
  const taken = await takeTrackingNumber(db, {
    clientId: site.clientId,
    visitorId: body.visitor,
    touch: body.touch,
    source,
    pool: pool.map((row) => row.trackingNumber),
    poolSource: pool[0]?.source || "Website",
    ip,
  });
  if ("retryAfterSeconds" in taken) return taken;

  const sourceNumber = rows.find((row) => row.numberType === "Source")?.trackingNumber ?? null;
  const number = pool.length === 0 ? sourceNumber : (taken.leasedNumber ?? pool.find((row) => row.fallbackNumber)?.fallbackNumber ?? sourceNumber);
  return { answer: { number, replace: site.replace, heartbeat: taken.leasedNumber ? HEARTBEAT_SECONDS : null } };
}

function answeringRows(rows: SiteRow[], source: string): SiteRow[] {
  const named = rows.filter((row) => row.source?.toLowerCase() === source.toLowerCase());
  if (named.length > 0) return named;
  return rows.filter((row) => !row.source || row.source.toLowerCase() === "website");
}
