// bench:scale's Airtable stand-in, in a process of its own (started by airtable-process.ts): the
// arrival time of each request is taken by a process that does nothing else, so the bench's own
// pauses (it plays Twilio and runs the proxy) cannot bunch arrivals that were apart, nor part them.
// Argument: JSON { token, baseId, pipelineBaseIds, configRows }. GET /__bench/state answers what
// each base received and holds.
import type { TrackingNumberConfig } from "../../../lib/config/tracking-number-config";
import { addConfigRow, CLIENT_CONFIGURATION_FIELDS, CLIENT_CONFIGURATION_TABLE } from "../../support/configure-tracking-number";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../../support/lead-pipeline-table";
import { airtableApiStandIn } from "../../support/stand-ins/airtable-api";
import { serveStandIn } from "../../support/stand-ins/serve-stand-in";
import { json } from "../../support/stand-ins/stand-in";

export type AirtableProcessOptions = { token: string; baseId: string; pipelineBaseIds: string[]; configRows: TrackingNumberConfig[] };

const options = JSON.parse(process.argv[2]) as AirtableProcessOptions;
const airtable = airtableApiStandIn({ token: options.token, baseId: options.baseId });
airtable.defineTable(CLIENT_CONFIGURATION_TABLE, CLIENT_CONFIGURATION_FIELDS);
for (const config of options.configRows) addConfigRow(airtable, config);
for (const baseId of options.pipelineBaseIds) airtable.base(baseId).defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);

const state = () => ({
  bases: options.pipelineBaseIds.map((baseId) => {
    const base = airtable.base(baseId);
    return { id: baseId, requests: base.requests, rows: base.rows(LEAD_PIPELINE_TABLE), refused429: base.count429(), most: base.maxRequestsInAnyRollingSecond() };
  }),
});

const served = await serveStandIn(async (request) => (new URL(request.url).pathname === "/__bench/state" ? json(200, state()) : airtable.handle(request)));
console.log(`listening ${served.url}`);
process.once("SIGTERM", () => void served.close().then(() => process.exit(0)));
