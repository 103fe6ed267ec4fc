import path from "node:path";
import type { Database, Queryable } from "../../../../lib/db/database";
import { openEmbeddedDatabase } from "../../../../lib/db/open-embedded-database";
import { ledgerSums, NO_USAGE } from "../../../usage/ledger-sums";
import type { Scenario } from "../../inbox/step-runner";
import { differences } from "../read-usage-page";
import { poolQueryable, type ShownLine, type UsageRun } from "../usage-run";

/**
 * Compares what the page and the CSV showed with SQL sums over public.usage_events. The embedded
 * database opens in one process at a time, so there the app is stopped first and its folder read.
 */
export const matchesLedger = (run: UsageRun): Scenario => ({
  name: "the page and the CSV equal SQL sums over the ledger, per client and for every client",
  async run({ app, note }) {
    let embedded: Database | undefined;
    if (!run.pool) {
      await app.stop();
      embedded = await openEmbeddedDatabase(path.join(run.embeddedDataDir!, "pglite"));
    }
    const db: Queryable = embedded ?? poolQueryable(run.pool!);
    try {
      const problems: string[] = [];
      for (const [month, shown] of run.shown) {
        const sums = await ledgerSums(db, month);
        const expected = shown.page.map(({ clientId, markupPercent }) => ({ clientId, markupPercent, ...(sums.get(clientId || null) ?? NO_USAGE) }));
        const withoutNames = (lines: ShownLine[]) => lines.map(({ clientName, ...line }) => line);
        problems.push(...differences(`${month} ledger and page`, expected, withoutNames(shown.page)), ...differences(`${month} ledger and CSV`, expected, withoutNames(shown.csv)));
        for (const clientId of sums.keys()) if (clientId && !shown.page.some((line) => line.clientId === clientId)) problems.push(`${month}: ${clientId} has usage but no row`);
        const total = sums.get(null)!;
        note(`${month}: ledger ${JSON.stringify(total)}`);
      }
      const month = run.shown.get(run.month)!.page.at(-1)!;
      const empty = (["inboundMinutes", "forwardedMinutes", "smsSegmentsIn", "smsSegmentsOut", "mmsIn", "mmsOut", "numberDays", "cost", "unpriced"] as const).filter((field) => !(month[field] > 0));
      if (empty.length > 0) problems.push(`${run.month} has nothing for ${empty.join(", ")}: the month of traffic did not reach the ledger`);
      if (run.playedMonthEdges && !(run.shown.get(run.previousMonth)!.page.at(-1)!.inboundMinutes > 0)) problems.push(`${run.previousMonth} shows none of the call played a second before ${run.month}`);
      if (problems.length > 0) throw new Error(problems.join("; "));
    } finally {
      await embedded?.close();
    }
  },
});
