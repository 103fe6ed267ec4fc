// A call to a leased pool number, through the real webhooks and the outbox, reaches the Lead
// Pipeline (the Airtable stand-in) with the visit's UTM tags and click id; a lead without them
// still reaches a base set up before these columns existed.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import type { Database } from "@/lib/db/database";
import { getDatabase } from "@/lib/db/get-database";
import { drainOutbox } from "@/lib/outbox/drain-outbox";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { useRemoteServices } from "../support/remote-services";
import { placeCall, sendText } from "../support/simulated-contacts";
import { minutesAgo } from "../support/twilio-logs";
import { GOOGLE_ADS_CLICK, newCaller, openAttributionLab, type AttributionLab } from "./attribution-lab";

const { airtable } = useRemoteServices();
const ATTRIBUTION_FIELDS: string[] = [F.medium, F.campaign, F.term, F.clickId, F.landingPage];

let db: Database;
let lab: AttributionLab;
beforeAll(async () => {
  db = await getDatabase();
  lab = await openAttributionLab(db);
});
beforeEach(async () => {
  await db.query("update internal.outbox set status = 'delivered' where status <> 'delivered'");
});

const rowOf = (caller: string) => airtable.rows(LEAD_PIPELINE_TABLE).filter((row) => row.fields[F.leadKey] === `${lab.clientId}:${caller}`);

describe("the Lead Pipeline row of an attributed lead", () => {
  it("gets the leased number's visitor's source, UTM tags, gclid and landing page", async () => {
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    const [number] = lab.pool;
    const visit = await lab.addVisit(GOOGLE_ADS_CLICK);
    await lab.lease(number, visit, minutesAgo(5), minutesAgo(-25));
    const caller = newCaller();

    await placeCall(number.trackingNumber, caller, "missed");
    await drainOutbox({ maxMs: 10_000 });

    const rows = rowOf(caller);
    expect(rows).toHaveLength(1);
    expect(rows[0].fields).toMatchObject({
      [F.trackingNumber]: number.trackingNumber,
      [F.source]: "Google Ads",
      [F.medium]: "cpc",
      [F.campaign]: "spring-sale",
      [F.term]: "emergency plumber",
      [F.clickId]: "Cj0KCQiA-spring-click",
      [F.landingPage]: GOOGLE_ADS_CLICK.landingPage,
      [F.calls]: 1,
    });
  });

  it("still reaches a base without the attribution columns when the lead has none, and never sends them empty", async () => {
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS.filter((field) => !ATTRIBUTION_FIELDS.includes(typeof field === "string" ? field : field.name)));
    const caller = newCaller();

    await sendText(lab.website.trackingNumber, caller, "Do you fix water heaters?");
    const summary = await drainOutbox({ maxMs: 10_000 });

    // The stand-in, like Airtable, refuses a whole request naming a field the table lacks.
    expect(summary).toMatchObject({ delivered: 1, failed: 0 });
    const rows = rowOf(caller);
    expect(rows).toHaveLength(1);
    expect(rows[0].fields).toMatchObject({ [F.source]: "Website", [F.texts]: 1 });
  });
});
