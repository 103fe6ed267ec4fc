/** Session and heartbeat requests together, per client IP, per fixed one-minute window. */
export const TRACKING_REQUESTS_PER_MINUTE = 120;

/** A pool number stays the visitor's this long after the page's last heartbeat. */
export const LEASE_SECONDS = 30 * 60;

// Well inside the lease, so a page in a background tab whose timers the browser slows still keeps it.
export const HEARTBEAT_SECONDS = 60;

/** The rate-limit key of a client address, shared by the session and the heartbeat. */
export const trackingRateKey = (ip: string): string => `track:${ip}`;
