import type { Touch } from "./capture-touch";
import { isPaidTouch } from "./is-paid-touch";

/** What the script keeps in first-party storage: visitor id, touch, and when both are forgotten. */
export type StoredVisit = { v: string; t: Touch; e: number };

export const VISIT_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const VISITOR_ID = /^[\w-]{16,64}$/;

/**
 * The visit this landing belongs to: the stored one while it is unexpired (first touch wins), with
 * this landing's touch instead when it is a paid click; otherwise a new visitor with this touch.
 */
export function keepVisit(stored: unknown, touch: Touch, now: number, newVisitorId: () => string): StoredVisit {
  const kept = stored as StoredVisit | null;
  const valid =
    kept &&
    typeof kept.v == "string" &&
    VISITOR_ID.test(kept.v) &&
    kept.e > now &&
    typeof Object(kept.t).landing == "string" &&
    typeof kept.t.at == "number";
  if (!valid) return { v: newVisitorId(), t: touch, e: now + VISIT_LIFETIME_MS };
  return isPaidTouch(touch) ? { v: kept.v, t: touch, e: now + VISIT_LIFETIME_MS } : { v: kept.v, t: kept.t, e: kept.e };
}
