const UNIT_MS = { m: 60_000, h: 60 * 60_000, d: 24 * 60 * 60_000 } as const;

/** How far back `npm run reconcile` reads by default: a day covers an outage noticed the next morning. */
export const DEFAULT_RECONCILE_WINDOW = "24h";

/** The cron run's window: every 10 minutes, so each call is looked at about a dozen times before it falls out. */
export const CRON_RECONCILE_WINDOW_MS = 2 * UNIT_MS.h;

/** "30m", "6h" or "2d" in milliseconds; undefined for anything else. */
export function parseReconcileWindow(text: string): number | undefined {
  const match = /^([1-9]\d{0,4})([mhd])$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
