import { CLICK_IDS, type Touch } from "./capture-touch";

/** utm_medium values that mean the visitor clicked an ad. */
export const PAID_MEDIUM = /^(cpc|ppc|paid|paidsearch|paid_social|paidsocial|display|cpm)$/i;

/** A paid click replaces the first touch kept for 30 days: the ad gets the credit for the call. */
export function isPaidTouch(touch: Touch): boolean {
  return CLICK_IDS.some((id) => touch[id]) || PAID_MEDIUM.test(touch.medium || "");
}
