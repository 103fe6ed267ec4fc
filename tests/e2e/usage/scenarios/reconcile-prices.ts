import { runReconcile } from "../../../support/run-command";
import { TWILIO_AUTH_TOKEN } from "../../inbox/app-under-test";
import type { Scenario } from "../../inbox/step-runner";
import { priceLogged } from "../play-month";
import type { UsageRun } from "../usage-run";

type Counts = { callsBackfilled: number; usageAdded: number; pricesFilled: number; numberDays: number };

export const reconcilePrices = (run: UsageRun): Scenario => ({
  name: "reconciliation adds what only Twilio logged, its prices once Twilio has them, and the days each number was held",
  async run({ app, note }) {
    const cron = async (): Promise<Counts> => {
      const response = await fetch(`${app.url}/api/cron/reconcile`, { headers: { authorization: `Bearer ${run.cronSecret}` } });
      const report = (await response.json()) as { counts?: Counts };
      if (!response.ok || !report.counts) throw new Error(`GET /api/cron/reconcile answered ${response.status}: ${JSON.stringify(report)}`);
      return report.counts;
    };

    const first = await cron();
    if (first.callsBackfilled < 1) throw new Error(`the cron back-filled ${first.callsBackfilled} calls, not the one only Twilio logged`);
    if (first.usageAdded !== 1) throw new Error(`the cron added ${first.usageAdded} ledger entries, not the one relay whose callbacks were lost`);
    if (first.numberDays < 6) throw new Error(`the cron wrote ${first.numberDays} number-days, fewer than the six seeded numbers held today`);
    if (first.pricesFilled !== 0) throw new Error(`the cron priced ${first.pricesFilled} entries before Twilio priced anything`);
    note(`cron before Twilio's prices: ${JSON.stringify(first)}`);
    if (run.pool) {
      const command = await runReconcile(["--since", "40d"], {
        env: { DATABASE_URL: app.databaseUrl!, PUBLIC_BASE_URL: app.url, TWILIO_ACCOUNT_SID: app.accountSid, TWILIO_AUTH_TOKEN, TWILIO_API_URL: app.twilioUrl },
      });
      if (command.exitCode !== 0) throw new Error(`npm run reconcile -- --since 40d exited ${command.exitCode}: ${command.stderr}`);
      note(`npm run reconcile -- --since 40d: ${JSON.stringify((JSON.parse(command.stdout) as { counts: Counts }).counts)}`);
    }

    // Twilio prices everything but one relay, some time later.
    const unpriced = run.notPricedByTwilio!;
    const priced = priceLogged(app, run, new Set([unpriced]));
    const second = await cron();
    if (second.pricesFilled !== priced) throw new Error(`Twilio priced ${priced} records, but the cron filled ${second.pricesFilled} prices`);
    const third = await cron();
    if (third.pricesFilled !== 0 || third.usageAdded !== 0) throw new Error(`a third run changed the ledger again: ${JSON.stringify(third)}`);
    note(`Twilio priced ${priced} records (not ${unpriced}); the next run filled ${second.pricesFilled} prices, the one after nothing`);
  },
});
