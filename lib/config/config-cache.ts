import type { TrackingNumberConfig } from "./tracking-number-config";

export const CONFIG_CACHE_TTL_MS = 30_000;

type Entry = { config: TrackingNumberConfig; storedAt: number };

const holder = globalThis as typeof globalThis & { __leadlineConfigCache?: Map<string, Entry> };
const entries = (holder.__leadlineConfigCache ??= new Map());

/**
 * Per-process memory of tracking-number configs. Expired entries are kept on purpose: when the
 * database and Airtable both fail, a stale config still forwards the call.
 */
export const configCache = {
  get(trackingNumber: string): { config: TrackingNumberConfig; fresh: boolean } | undefined {
    const entry = entries.get(trackingNumber);
    if (!entry) return undefined;
    return { config: entry.config, fresh: Date.now() - entry.storedAt < CONFIG_CACHE_TTL_MS };
  },
  set(config: TrackingNumberConfig): void {
    entries.set(config.trackingNumber, { config, storedAt: Date.now() });
  },
  expire(trackingNumber?: string): void {
    for (const [key, entry] of entries) {
      if (trackingNumber === undefined || key === trackingNumber) entry.storedAt = 0;
    }
  },
};
