import { ACME, AGENCY_OWNER_EMAIL, BRIGHT_SMILES, newCaller } from "../../inbox/seeded-demo";
import type { Scenario } from "../../inbox/step-runner";
import { until } from "../../inbox/until";
import { answeredCall, logCallOnly, missedCall, textWithRelay, type TrackedNumber } from "../play-month";
import type { UsageRun } from "../usage-run";

const ACME_LINE: TrackedNumber = { trackingNumber: ACME.googleAdsNumber, primaryNumber: "+15125550111", clientMobile: "+15125550112" };
// Bright Smiles has no SMS Forward Number: texts go to its Primary Number.
const BRIGHT_LINE: TrackedNumber = { trackingNumber: BRIGHT_SMILES.trackingNumber, primaryNumber: "+17375550211", clientMobile: "+17375550211" };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const monthOfTraffic = (run: UsageRun): Scenario => ({
  name: "a month of calls and texts: signed webhooks, both legs and every relay in Twilio's log, a reply from the inbox",
  async run({ app, signIn, note }) {
    const lead = newCaller();
    const missedCaller = newCaller();
    await answeredCall(app, run, ACME_LINE, lead, 125);
    await missedCall(app, run, ACME_LINE, missedCaller);
    await textWithRelay(app, run, ACME_LINE, {
      from: lead,
      body: "Following up on the call: the water heater in the garage is leaking from the bottom and the pilot light keeps going out. Can someone come and look at it tomorrow morning?",
    });
    await textWithRelay(app, run, ACME_LINE, { from: lead, body: "This is the leak", photo: true });
    // Twilio relayed this one, but its status callbacks never reached the app: only the log knows the relay.
    await textWithRelay(app, run, ACME_LINE, { from: lead, body: "Thanks!", callbackLost: true });
    const reply = await textWithRelay(app, run, ACME_LINE, { from: ACME_LINE.clientMobile, body: "We can be there at 9 tomorrow." });
    if (reply.to !== lead) throw new Error(`the client's reply was relayed to ${reply.to}, not to the lead ${lead}`);
    await answeredCall(app, run, BRIGHT_LINE, newCaller(), 61);
    const question = await textWithRelay(app, run, BRIGHT_LINE, { from: newCaller(), body: "Do you have an opening on Friday?" });
    run.notPricedByTwilio = question.relaySid;

    // Calls whose webhooks never reached the app: only Twilio's log has them. The cron's window
    // (two hours) finds the recent one; older ones need `npm run reconcile -- --since`, which
    // needs DATABASE_URL, so the month's first instant and the month before are played on PostgreSQL.
    logCallOnly(app, run, ACME_LINE, { from: newCaller(), start: new Date(Date.now() - 40 * MINUTE), talkSeconds: 75 });
    const monthStart = Date.parse(`${run.month}-01T00:00:00Z`);
    if (run.pool && Date.now() - monthStart > 10 * MINUTE) {
      logCallOnly(app, run, BRIGHT_LINE, { from: newCaller(), start: new Date(monthStart), talkSeconds: 50 });
      logCallOnly(app, run, BRIGHT_LINE, { from: newCaller(), start: new Date(monthStart - 1000), talkSeconds: 200 });
      // The month before, spread over its days: a call every other day, every other one unanswered,
      // on the client without a markup (the page reads that month before the markup is set).
      // Only days reconciliation still prices (35 days) and `--since 40d` reaches.
      const monthBefore = Date.parse(`${run.previousMonth}-01T00:00:00Z`);
      const spread = [];
      for (let day = 0; monthBefore + day * DAY < monthStart; day += 2) {
        const start = monthBefore + day * DAY + 15 * 60 * MINUTE;
        if (Date.now() - start > 34 * DAY) continue;
        const answered = day % 4 === 0;
        spread.push(logCallOnly(app, run, BRIGHT_LINE, { from: newCaller(), start: new Date(start), talkSeconds: answered ? 40 + day : 0 }));
      }
      run.playedMonthEdges = true;
      note(`calls only in Twilio's log: 40 minutes ago, at ${new Date(monthStart).toISOString()} and a second before it, and ${spread.length} over ${run.previousMonth}`);
    } else {
      note("calls only in Twilio's log: 40 minutes ago (the month's first instant and the month before are played on PostgreSQL)");
    }

    const { page } = await signIn(AGENCY_OWNER_EMAIL);
    await page.goto(`/inbox/${ACME.leads.waterHeater.id}`);
    const inboxReply = "Your new water heater is in stock; we can install it Thursday.";
    await page.getByLabel("Reply", { exact: true }).fill(inboxReply);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await until(() => app.twilio.sent.find((message) => message.body === inboxReply), "the inbox reply to reach the Twilio stand-in");
    await until(() => app.twilio.sent.find((message) => message.to === missedCaller), "the missed caller's text-back to reach the Twilio stand-in");
    note(`${run.logged.length} call legs and messages in Twilio's log, and ${app.twilio.sent.length} texts the app sent through the REST API`);
  },
});
