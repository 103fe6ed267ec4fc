/** How calls and texts to one tracking number are handled: a row of the Client Configuration table. */
export type TrackingNumberConfig = {
  trackingNumber: string;
  clientId: string;
  clientName: string;
  primaryNumber: string;
  /** The client's mobile for relayed texts; the primary number when not set. */
  smsForwardNumber: string;
  textBackEnabled: boolean;
  textBackMessage: string;
  source?: string;
  numberType: "Source" | "Pool";
  ringTimeoutSeconds: number;
  missedCallMaxSeconds: number;
  voicemailEnabled: boolean;
  /** Show the business the tracking number instead of the caller's own number. */
  showTrackingNumber: boolean;
  active: boolean;
  /** The client's own Airtable base for its Lead Pipeline, instead of the agency's. */
  pipelineBaseId?: string;
  /** Host names whose pages may show this client's tracking numbers (their subdomains too). */
  websiteDomains?: string[];
  /** The numbers printed on the client's site that the tracking script swaps (else the Primary Number). */
  websiteNumbers?: string[];
  /** Visits this row answers beyond the built-in sources, e.g. `utm_campaign=spring-sale`. */
  swapRule?: string;
  /** What a Pool row's visitors get when every number of the pool is leased. */
  fallbackNumber?: string;
  airtableRecordId?: string;
};

export const DEFAULT_RING_TIMEOUT_SECONDS = 20;
export const DEFAULT_MISSED_CALL_MAX_SECONDS = 15;

export function defaultTextBackMessage(clientName: string): string {
  return `Sorry we missed your call at ${clientName}! Reply to this text and we'll get right back to you.`;
}
