import type { AirtableSettings } from "../airtable/airtable-base";
import { CONFIG_FIELDS as F } from "../airtable/config-fields";
import type { Database } from "../db/database";
import { normalizePhone } from "../phone/normalize-phone";
import type { TwilioRestClient } from "../twilio/twilio-rest-client";
import { airtableTurns } from "./airtable-turns";
import { describeAirtableError, describeTwilioError } from "./describe-remote-error";
import { listAccountNumbers } from "./list-account-numbers";
import { readConfigTable } from "./read-config-table";
import { releaseAccountNumbers } from "./release-account-numbers";

export type ReleaseOutcome = { phoneNumber: string; said: string; done: boolean };

/**
 * `npm run numbers:release`: for each number, releases it on Twilio, then unticks its rows on the
 * base's shared pace (when there is a database; else a request a second), then stops routing it in
 * the snapshot so a call that still arrives finds nothing at once. A number not on the account is
 * left alone, its row included (it may be another account's), and so is the rest of a number Twilio
 * would not release.
 */
export async function releaseNumbers(context: { client: TwilioRestClient; settings: AirtableSettings; db?: Database }, phoneNumbers: string[]): Promise<ReleaseOutcome[]> {
  const { client, settings, db } = context;
  const account = await listAccountNumbers(client).catch((error: unknown) => {
    throw new Error(`Could not list the numbers on the Twilio account: ${describeTwilioError(error)}. Nothing was released.`);
  });
  const turns = airtableTurns(db, settings.baseId);
  const table = await readConfigTable(settings, db, turns).catch((error: unknown) => {
    throw new Error(`Could not read "${settings.configTable}": ${describeAirtableError(settings, error)}. Nothing was released.`);
  });

  const outcomes: ReleaseOutcome[] = [];
  for (const phoneNumber of phoneNumbers) {
    const rows = table.records.filter((record) => normalizePhone(String(record.fields[F.trackingNumber] ?? "")) === phoneNumber);
    const ticked = rows.filter((row) => !table.baseHasActiveColumn || row.fields[F.active] === true);
    const number = account.find((candidate) => candidate.phoneNumber === phoneNumber);
    if (!number) {
      const stillTicked = ticked.length > 0 ? ` Its row ${ticked.map((row) => row.id).join(", ")} still routes it: untick it in Airtable if the number is gone for good.` : "";
      outcomes.push({ phoneNumber, said: `not on this Twilio account (${context.client.accountSid}), so nothing was released or changed.${stillTicked}`, done: false });
      continue;
    }
    const { failed } = await releaseAccountNumbers(client, [number]);
    if (failed.length > 0) {
      outcomes.push({ phoneNumber, said: `Twilio did not release it (${failed[0].error}), so nothing else was changed.`, done: false });
      continue;
    }

    const said = ["released on Twilio"];
    let done = true;
    if (rows.length === 0) said.push(`it had no row in "${settings.configTable}"`);
    for (const row of rows) {
      if (!table.baseHasActiveColumn) {
        said.push(`the base has no Active column, so row ${row.id} was left as it is: delete it in Airtable`);
        done = false;
      } else if (row.fields[F.active] !== true) said.push(`row ${row.id} was already unticked`);
      else {
        try {
          await turns();
          await table.table.update(row.id, { [F.active]: false });
          said.push(`row ${row.id} unticked`);
        } catch (error) {
          const why = describeAirtableError(settings, error);
          said.push(`row ${row.id} could not be unticked (${why}): untick it in Airtable`);
          done = false;
        }
      }
    }
    if (db) {
      try {
        const stopped = await db.query("update public.tracking_numbers set active = false, synced_at = now() where phone_number = $1 and active returning phone_number", [phoneNumber]);
        if (stopped.length > 0) said.push("it stopped routing at once");
      } catch (error) {
        said.push(`the routing snapshot could not be changed (${(error as Error).message}): it stops routing at the next config sync`);
      }
    } else said.push("it stops routing at the server's next config sync (DATABASE_URL is not set)");
    outcomes.push({ phoneNumber, said: `${said.join("; ")}.`, done });
  }
  return outcomes;
}
