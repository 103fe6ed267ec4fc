// What the usage scenarios share beyond the app: the month under test, the Twilio records the run
// logged as Twilio would (to price them later), what /usage and its CSV showed, and the way to the
// ledger itself: a connection to the PostgreSQL database while the app runs, or the embedded
// database's folder, which only the server opens until it stops.
import pg from "pg";
import type { Queryable } from "../../../lib/db/database";
import type { AirtableApiStandIn } from "../../support/stand-ins/airtable-api";
import type { LedgerSums } from "../../usage/ledger-sums";

/** One row of the /usage table as the browser shows it, or of the CSV, keyed by client id ("" for every client). */
export type ShownLine = LedgerSums & { clientId: string; clientName: string; markupPercent: number | null };

export type Shown = { page: ShownLine[]; csv: ShownLine[] };

export type UsageRun = {
  month: string;
  previousMonth: string;
  cronSecret: string;
  airtable: AirtableApiStandIn;
  /** Every call leg and message the run put in Twilio's log, to be priced; the text-backs and replies the app sent log themselves. */
  logged: string[];
  /** The one record Twilio is left not to price, so the page has an entry still waiting. */
  notPricedByTwilio?: string;
  /** Whether calls at the month's first instant and a second before it were played (PostgreSQL, more than 10 minutes into the month). */
  playedMonthEdges?: boolean;
  /** What /usage and its CSV showed, per month, for the comparison with the ledger. */
  shown: Map<string, Shown>;
  /** The embedded database's folder (LEADLINE_DATA_DIR); undefined on PostgreSQL. */
  embeddedDataDir?: string;
  /** The app's PostgreSQL database while it runs; undefined on the embedded one. */
  pool?: pg.Pool;
};

export const poolQueryable = (pool: pg.Pool): Queryable => ({
  query: async (sql, params) => (await pool.query(sql, params)).rows,
});
