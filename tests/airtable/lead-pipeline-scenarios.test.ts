import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { serveStandIn } from "../support/stand-ins/serve-stand-in";
import { describeLeadPipelineScenarios } from "./lead-pipeline-scenarios";

// The scenarios `npm run test:live` runs against a real base, here against the stand-in on a real
// port. Its penalty is shortened so the rate-limit scenario does not wait 30 s in every test run.
const BASE_ID = "appScenarioBase01";
const TOKEN = "patScenarioToken.0000";

describeLeadPipelineScenarios(async () => {
  const standIn = airtableApiStandIn({ token: TOKEN, baseId: BASE_ID, penaltyMs: 4000 });
  const served = await serveStandIn(standIn.handle);
  return {
    upstream: served.url,
    token: TOKEN,
    baseId: BASE_ID,
    penaltyMs: 4000,
    // The table keeps its rows-to-be and id: it is still empty, as staff would find it after setup.
    addHandMadeFields: async () => void standIn.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS),
    close: served.close,
  };
}, 120_000);
