import { describeLeadPipelineScenarios } from "../airtable/lead-pipeline-scenarios";

// Against the real service: its penalty after a 429 is 30 s, and a request takes about 600 ms.
describeLeadPipelineScenarios(
  async () => ({
    upstream: process.env.AIRTABLE_LIVE_API_URL ?? "https://api.airtable.com",
    token: process.env.AIRTABLE_LIVE_TOKEN!,
    baseId: process.env.AIRTABLE_LIVE_BASE_ID!,
    penaltyMs: 30_000,
    // Airtable's API cannot create a last-modified-time field: staff add it once, by hand.
    addHandMadeFields: async () => {},
  }),
  300_000,
);
