import type { AirtableSettings } from "../airtable/airtable-base";
import { CONFIG_FIELDS } from "../airtable/config-fields";
import type { Database } from "../db/database";
import type { TwilioRestClient } from "../twilio/twilio-rest-client";
import { airtableTurns, type AirtableTurns } from "./airtable-turns";
import { buyNumbers, searchNumbers } from "./buy-numbers";
import { describeAirtableError, describeTwilioError } from "./describe-remote-error";
import type { AccountNumber } from "./list-account-numbers";
import { newRowFields, planNewRows, type RowPlan } from "./plan-new-rows";
import type { ProvisionOptions } from "./provision-options";
import { readConfigTable } from "./read-config-table";
import { releaseAccountNumbers } from "./release-account-numbers";

// Airtable creates at most 10 records a request; each request is all or nothing.
const ROWS_PER_REQUEST = 10;
const FRIENDLY_NAME_LENGTH = 64;

export type ProvisionContext = {
  client: TwilioRestClient;
  settings: AirtableSettings;
  /** The shared pace's database; none for a dry run, which takes no slots. */
  db?: Database;
  publicBaseUrl: string;
};

export type ProvisionReport = {
  options: ProvisionOptions;
  plan: RowPlan;
  /** The numbers Twilio offered, in its order. */
  found: string[];
  /** Bought, pointed at us and with a row: done. */
  configured: { phoneNumber: string; recordId: string }[];
  /** Bought by this run, and released again because it could not be finished. */
  released: string[];
  /** Bought, not finished, and refused release: for a person to release. */
  releaseByHand: { phoneNumber: string; error: string }[];
  /** A purchase that may have gone through unseen: for a person to look for. */
  checkByHand?: string;
  /** Numbers whose rows may have been added though the request failed, and the table could not be read to tell. */
  rowsToCheck?: string[];
  /** Why the run stopped short; none when every number was configured (or on a dry run). */
  error?: string;
};

/**
 * `npm run numbers:provision`: reads the client's rows and checks the new ones, searches, and
 * (unless a dry run) buys each number with our URLs, then adds its row to Airtable on the shared
 * pace. Each number ends configured or released: a failure part-way releases every number not yet
 * in Airtable, and names any whose release failed too.
 */
export async function provisionNumbers(context: ProvisionContext, options: ProvisionOptions): Promise<ProvisionReport> {
  const { client, settings, db, publicBaseUrl } = context;
  const turns = airtableTurns(db, settings.baseId);
  const table = await readConfigTable(settings, db, turns).catch((error: unknown) => {
    throw new Error(`Could not read "${settings.configTable}": ${describeAirtableError(settings, error)}. Nothing was bought or written.`);
  });
  const planned = planNewRows(options, table);
  if (!planned.ok) throw new Error(`${planned.error}\nNothing was bought or written.`);
  const plan = planned.plan;

  const offered = await searchNumbers(client, options.areaCode, options.count).catch((error: unknown) => {
    throw new Error(`Searching for numbers in area code ${options.areaCode} failed: ${describeTwilioError(error)}. Nothing was bought or written.`);
  });
  // A number released long ago can come back on sale while its old row is still in the table.
  const found = offered.filter((number) => !planned.trackingNumbers.has(number));
  if (found.length < options.count) {
    throw new Error(
      `Twilio has ${found.length === 0 ? "no" : `only ${found.length}`} local number${found.length === 1 ? "" : "s"} for calls and texts in area code ${options.areaCode}` +
        ` (${options.count} wanted): try a nearby area code${found.length > 0 ? ` or --pool ${found.length}` : ""}. Nothing was bought or written.`,
    );
  }
  const report: ProvisionReport = { options, plan, found, configured: [], released: [], releaseByHand: [] };
  if (options.dryRun) return report;

  const purchase = await buyNumbers(client, found, options.count, publicBaseUrl, friendlyName(options));
  report.checkByHand = purchase.unsure;
  if (purchase.error) return undo(client, report, purchase.bought, purchase.error);

  for (let start = 0; start < purchase.bought.length; start += ROWS_PER_REQUEST) {
    const chunk = purchase.bought.slice(start, start + ROWS_PER_REQUEST);
    try {
      await turns();
      const created = await table.table.create(chunk.map((number) => ({ fields: newRowFields(plan, number.phoneNumber) as never })));
      created.forEach((record, index) => report.configured.push({ phoneNumber: chunk[index].phoneNumber, recordId: record.id }));
    } catch (error) {
      const added = nothingAdded(error) ? new Map<string, string>() : await rowsAddedAnyway(context, turns, chunk, options.clientId);
      for (const number of chunk) {
        const recordId = added?.get(number.phoneNumber);
        if (recordId) report.configured.push({ phoneNumber: number.phoneNumber, recordId });
      }
      if (added && chunk.every((number) => added.has(number.phoneNumber))) continue;
      if (!added) report.rowsToCheck = chunk.map((number) => number.phoneNumber);
      const why = describeAirtableError(settings, error);
      const failed = `Adding the rows of ${chunk.map((number) => number.phoneNumber).join(", ")} to Airtable failed: ${why}`;
      return undo(client, report, purchase.bought.slice(start).filter((number) => !added?.has(number.phoneNumber)), failed);
    }
  }
  return report;
}

/**
 * The request was never sent (airtable.js errors are not Error instances, so an Error is the pace's
 * or the database's), or Airtable refused it (4xx): none of its records were added.
 */
function nothingAdded(error: unknown): boolean {
  const { statusCode } = error as { statusCode?: unknown };
  return error instanceof Error || (typeof statusCode === "number" && statusCode < 500);
}

/**
 * A request that timed out or got a 5xx may have added its rows all the same: the table says
 * which (by Tracking Number, to their record ids), or undefined when it cannot be read either.
 */
async function rowsAddedAnyway(context: ProvisionContext, turns: AirtableTurns, chunk: AccountNumber[], clientId: string): Promise<Map<string, string> | undefined> {
  try {
    const { records } = await readConfigTable(context.settings, context.db, turns);
    const wanted = new Set(chunk.map((number) => number.phoneNumber));
    return new Map(records.flatMap((record) => {
      const trackingNumber = record.fields[CONFIG_FIELDS.trackingNumber];
      const ours = typeof trackingNumber === "string" && wanted.has(trackingNumber) && record.fields[CONFIG_FIELDS.clientId] === clientId;
      return ours ? [[trackingNumber, record.id] as const] : [];
    }));
  } catch {
    return undefined;
  }
}

async function undo(client: TwilioRestClient, report: ProvisionReport, unfinished: AccountNumber[], error: string): Promise<ProvisionReport> {
  const releases = await releaseAccountNumbers(client, unfinished);
  return { ...report, error, released: releases.released, releaseByHand: releases.failed };
}

/** How the number shows in the Twilio console: whose it is and what for. */
function friendlyName(options: ProvisionOptions): string {
  const what = [options.source, options.numberType === "Pool" ? "pool" : undefined].filter(Boolean).join(" ");
  return `Leadline ${options.clientId}${what ? ` ${what}` : ""}`.slice(0, FRIENDLY_NAME_LENGTH);
}
