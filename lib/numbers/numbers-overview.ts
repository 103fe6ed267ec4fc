import type { AirtableSettings } from "../airtable/airtable-base";
import { describeRefusedRow, readConfigRows } from "../config/read-config-rows";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import type { Database } from "../db/database";
import type { TwilioRestClient } from "../twilio/twilio-rest-client";
import { airtableTurns } from "./airtable-turns";
import { describeAirtableError, describeTwilioError } from "./describe-remote-error";
import { listAccountNumbers, type AccountNumber } from "./list-account-numbers";
import { misdirectedWebhooks, numberWebhookUrls } from "./number-webhook-urls";
import { readConfigTable } from "./read-config-table";

export type NumbersOverview = {
  /** One line per number on the account, under a heading. */
  table: string[];
  /** What needs a person: misdirected webhooks, numbers without a row, rows without a number, refused rows. */
  problems: string[];
  /** Unticked rows whose number is gone from the account: what `numbers:release` leaves, for the record. */
  retired: string[];
};

/**
 * `npm run numbers:list`: every number on the Twilio account with the client, source and type its
 * row gives it, and what does not add up between Twilio and the Client Configuration table.
 */
export async function numbersOverview(context: { client: TwilioRestClient; settings: AirtableSettings; db?: Database; publicBaseUrl: string }): Promise<NumbersOverview> {
  const { client, settings, db, publicBaseUrl } = context;
  const account = await listAccountNumbers(client).catch((error: unknown) => {
    throw new Error(`Could not list the numbers on the Twilio account: ${describeTwilioError(error)}`);
  });
  const table = await readConfigTable(settings, db, airtableTurns(db, settings.baseId)).catch((error: unknown) => {
    throw new Error(`Could not read "${settings.configTable}": ${describeAirtableError(settings, error)}`);
  });
  const { configs, refused } = readConfigRows(table.records, { baseHasActiveColumn: table.baseHasActiveColumn });
  const rowOf = new Map(configs.map((config) => [config.trackingNumber, config]));
  const refusedNumbers = new Set(refused.flatMap((row) => row.trackingNumber ?? []));
  const onAccount = new Set(account.map((number) => number.phoneNumber));
  const sorted = [...account].sort((a, b) => a.phoneNumber.localeCompare(b.phoneNumber));

  const problems: string[] = [];
  for (const number of sorted) {
    const misdirected = describeMisdirected(number, publicBaseUrl);
    if (misdirected) problems.push(`${number.phoneNumber} does not point at ${publicBaseUrl}: ${misdirected}.`);
    if (!rowOf.has(number.phoneNumber) && !refusedNumbers.has(number.phoneNumber)) {
      problems.push(
        `${number.phoneNumber} is on the Twilio account but has no row in "${settings.configTable}": its calls and texts are not routed. Add its row, or release it with npm run numbers:release -- ${number.phoneNumber}.`,
      );
    }
  }
  for (const row of refused) problems.push(describeRefusedRow(row));
  const gone = configs.filter((config) => !onAccount.has(config.trackingNumber));
  for (const config of gone.filter((config) => config.active)) {
    problems.push(
      `Row ${config.airtableRecordId} (${config.clientId}, ${config.trackingNumber}) is for a number not on the Twilio account: nothing reaches it. Untick or delete the row, or check TWILIO_ACCOUNT_SID.`,
    );
  }

  const columns = [["Number", "Client", "Source", "Type", "Row"], ...sorted.map((number) => columnsOf(number, rowOf.get(number.phoneNumber), refusedNumbers))];
  return {
    table: layOut(columns),
    problems,
    retired: gone.filter((config) => !config.active).map((config) => `${config.trackingNumber} (${config.clientId}, row ${config.airtableRecordId})`),
  };
}

function columnsOf(number: AccountNumber, config: TrackingNumberConfig | undefined, refusedNumbers: ReadonlySet<string>): string[] {
  if (!config) return [number.phoneNumber, "-", "-", "-", refusedNumbers.has(number.phoneNumber) ? "refused" : "no row"];
  const client = config.clientName === config.clientId ? config.clientId : `${config.clientId} (${config.clientName})`;
  return [number.phoneNumber, client, config.source ?? "-", config.numberType, config.active ? "active" : "unticked"];
}

/** Each field that does not point where it must, with what it is and what it should be. */
function describeMisdirected(number: AccountNumber, publicBaseUrl: string): string | undefined {
  const expected = numberWebhookUrls(publicBaseUrl);
  const fields = misdirectedWebhooks(number.webhooks, publicBaseUrl);
  if (fields.length === 0) return undefined;
  return fields.map((field) => `${field} is ${number.webhooks[field] ? `"${number.webhooks[field]}"` : "empty"} (should be "${expected[field]}")`).join("; ");
}

function layOut(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join("  "));
}
