import type { Touch } from "./capture-touch";
import { keepVisit, type StoredVisit } from "./keep-visit";
import { newVisitorId } from "./visitor-id";

/**
 * The visit kept in localStorage under `key`, brought up to date with this landing's touch and
 * stored back. Blocked or broken storage leaves a visit for this page view only.
 */
export function loadVisit(key: string, touch: Touch): StoredVisit {
  let stored: unknown;
  try {
    stored = JSON.parse(localStorage.getItem(key)!);
  } catch {}
  const visit = keepVisit(stored, touch, Date.now(), newVisitorId);
  try {
    localStorage.setItem(key, JSON.stringify(visit));
  } catch {}
  return visit;
}
