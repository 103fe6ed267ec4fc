/** Column names of the Lead Pipeline table, as `npm run airtable:setup` creates them. */
export const PIPELINE_FIELDS = {
  leadKey: "Lead Key",
  clientId: "Client ID",
  caller: "Caller",
  trackingNumber: "Tracking Number",
  source: "Source",
  medium: "Medium",
  campaign: "Campaign",
  term: "Term",
  clickId: "Click ID",
  landingPage: "Landing Page",
  firstContact: "First Contact",
  lastContact: "Last Contact",
  lastActivity: "Last Activity",
  lastMessage: "Last Message",
  calls: "Calls",
  texts: "Texts",
  missedCalls: "Missed Calls",
  status: "Status",
  /** A last-modified-time field watching Status, added by hand (Airtable's API cannot create one). */
  statusModified: "Status Modified",
} as const;

/** The choices of the Status field, in pipeline order. */
export const PIPELINE_STATUSES = ["New", "Contacted", "Qualified", "Won", "Lost", "Spam"] as const;
