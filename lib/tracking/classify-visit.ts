import { PAID_MEDIUM } from "./script/is-paid-touch";
import { matchesSwapRule, type SwapRule } from "./swap-rule";
import type { Touch } from "./tracking-requests";

/** A client's config row with a Swap Rule: the visits it matches get the row's Source. */
export type RuleRow = { source: string; rule: SwapRule };

const FACEBOOK_SOURCES = new Set(["facebook", "instagram", "fb", "ig"]);
const GOOGLE_HOST = /(^|\.)google(\.[a-z]{2,3}){1,2}$/;
const BING_HOST = /(^|\.)bing\.com$/;

/**
 * The source a visit counts under: the first rule row (in the order given) whose Swap Rule the
 * touch meets, else the built-in sources: Google Ads, Bing Ads, Facebook Ads (click ids, or a paid
 * utm), Google Organic, Bing Organic (a search referrer), Referral (another site), Direct.
 */
export function classifyVisit(touch: Touch, ruleRows: readonly RuleRow[]): string {
  const ruled = ruleRows.find((row) => matchesSwapRule(row.rule, touch));
  if (ruled) return ruled.source;

  const utmSource = touch.source?.toLowerCase();
  const paid = PAID_MEDIUM.test(touch.medium ?? "");
  if (touch.gclid || touch.gbraid || touch.wbraid || (paid && utmSource === "google")) return "Google Ads";
  if (touch.msclkid) return "Bing Ads";
  if (touch.fbclid || (paid && FACEBOOK_SOURCES.has(utmSource ?? ""))) return "Facebook Ads";

  const from = hostOf(touch.referrer);
  if (!from || from === hostOf(touch.landing)) return "Direct";
  if (GOOGLE_HOST.test(from)) return "Google Organic";
  if (BING_HOST.test(from)) return "Bing Organic";
  return "Referral";
}

function hostOf(url: string | undefined): string | undefined {
  return url ? URL.parse(url)?.hostname : undefined;
}
