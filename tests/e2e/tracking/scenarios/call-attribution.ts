import { PIPELINE_FIELDS as F } from "../../../../lib/airtable/pipeline-fields";
import { LEAD_PIPELINE_TABLE } from "../../../support/lead-pipeline-table";
import { placeAnsweredCall } from "../../inbox/play-twilio";
import { newCaller } from "../../inbox/seeded-demo";
import type { Scenario } from "../../inbox/step-runner";
import { until } from "../../inbox/until";
import { ACME_SITE } from "../seeded-tracking";
import { openSitePage, untilSwapped, visitorOf } from "../site-page";
import { callAttribution, expireLeases, leadAttribution, visitOf, type Attribution, type TrackingRun } from "../tracking-run";
import { adClickUrl } from "./paid-landing";

const CRON_EVERY_MS = 5_000;

function differences(what: string, got: Record<string, unknown> | undefined, want: Record<string, unknown>): string[] {
  if (!got) return [`${what}: missing`];
  return Object.entries(want)
    .filter(([field, value]) => got[field] !== value)
    .map(([field, value]) => `${what} ${field} is ${JSON.stringify(got[field] ?? null)}, want ${JSON.stringify(value)}`);
}

export const callAttributionScenario = (run: TrackingRun): Scenario => ({
  name: "(i) a signed call to a leased number carries the visitor's UTM tags and gclid onto the call, the lead and the Lead Pipeline row",
  onlyOn: "PostgreSQL",
  async run({ app, newContext, note }) {
    const db = run.db();
    await expireLeases(db);
    const { url, gclid } = adClickUrl(run);
    const { page } = await openSitePage(await newContext(), url, "i", run.log);
    const number = await untilSwapped(page, "tel-e164", "the visitor's number");
    if (!ACME_SITE.googleAdsPool.includes(number)) throw new Error(`the ad click got ${number}, not a pool number`);
    const landing = page.url();
    const visit = await visitOf(db, (await visitorOf(page)) ?? "");
    if (!visit) throw new Error("the server keeps no visit for the visitor");

    const caller = newCaller();
    const callSid = await placeAnsweredCall(app, { from: caller, to: number });
    const want: Attribution = { visit_id: visit.id, source: "Google Ads", medium: "cpc", campaign: "spring-sale", term: "water heater", click_id: gclid, click_id_type: "gclid", landing_page: landing };
    const wrong = [...differences("the call's", await callAttribution(db, callSid), want), ...differences("the lead's", await leadAttribution(db, caller), want)];
    if (wrong.length > 0) throw new Error(wrong.join("\n"));

    const leadKey = `${ACME_SITE.client}:${caller}`;
    const wantRow = { [F.source]: want.source, [F.medium]: want.medium, [F.campaign]: want.campaign, [F.term]: want.term, [F.clickId]: gclid, [F.landingPage]: landing };
    let row: Record<string, unknown> | undefined;
    let lastCron = Date.now();
    let cronCalls = 0;
    await until(async () => {
      row = run.airtable.rows(LEAD_PIPELINE_TABLE).find((candidate) => candidate.fields[F.leadKey] === leadKey)?.fields;
      if (row && differences("", row, wantRow).length === 0) return true;
      // The outbox delivers after the webhook on its own; the cron route is the floor under it.
      if (Date.now() - lastCron > CRON_EVERY_MS) {
        lastCron = Date.now();
        cronCalls++;
        const cron = await fetch(`${app.url}/api/cron/outbox`, { headers: { authorization: `Bearer ${run.cronSecret}` } });
        if (!cron.ok) throw new Error(`GET /api/cron/outbox answered ${cron.status}: ${await cron.text()}`);
      }
      return false;
    }, `the Lead Pipeline row ${leadKey} with the visit's attribution`, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${differences("the pipeline row's", row, wantRow).join("\n")}`);
    });
    note(`call ${callSid} to ${number} from ${caller}: call, lead and pipeline row carry source Google Ads, medium cpc, campaign spring-sale, term "water heater", gclid ${gclid}, landing ${landing}`);
    note(`the pipeline row was delivered ${cronCalls === 0 ? "by the outbox right after the webhooks" : `after ${cronCalls} call(s) of /api/cron/outbox`}`);
  },
});
