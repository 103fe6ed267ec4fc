/** Column names of the Client Configuration table, as `npm run airtable:setup` creates them. */
export const CONFIG_FIELDS = {
  trackingNumber: "Tracking Number",
  clientId: "Client ID",
  clientName: "Client Name",
  primaryNumber: "Primary Number",
  smsForwardNumber: "SMS Forward Number",
  textBackEnabled: "SMS Missed Call Active?",
  textBackMessage: "Missed Call SMS",
  source: "Source",
  numberType: "Number Type",
  ringTimeout: "Ring Timeout",
  missedCallMaxSeconds: "Missed Call Max Seconds",
  active: "Active",
  voicemailOff: "Voicemail Off",
  showTrackingNumber: "Show Tracking Number",
  pipelineBaseId: "Pipeline Base ID",
} as const;
