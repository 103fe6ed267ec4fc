// `npm run numbers:release` end to end, run as a developer runs it, against the Twilio and Airtable
// stand-ins on local ports, with the shared pace and the routing snapshot in PostgreSQL.
import { describe, expect, it } from "vitest";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { getDatabase } from "@/lib/db/get-database";
import { numberWebhookUrls } from "@/lib/numbers/number-webhook-urls";
import { runScript } from "../support/run-command";
import { addTrackingNumber } from "../support/tracking-numbers";
import { ACME_ROW, CONFIG_TABLE, paceSlotsTaken, PUBLIC_BASE_URL, useNumbersStandIns } from "./numbers-command-setup";

const { twilio, airtable, commandEnv } = useNumbersStandIns();
const release = (args: string[], env = commandEnv()) => runScript("numbers-release", args, { env });
const pointed = numberWebhookUrls(PUBLIC_BASE_URL);
const accountNumbers = () => twilio.numbers().map((number) => number.phoneNumber);
const activeOf = (recordId: string) => airtable.rows(CONFIG_TABLE).find((row) => row.id === recordId)!.fields[F.active] ?? false;

async function routed(phoneNumber: string): Promise<boolean | undefined> {
  const [row] = await (await getDatabase()).query<{ active: boolean }>("select active from public.tracking_numbers where phone_number = $1", [phoneNumber]);
  return row?.active;
}

describe("npm run numbers:release", () => {
  it("releases each number on Twilio, unticks its row on the shared pace and stops routing it at once", async () => {
    const acme = airtable.addRow(CONFIG_TABLE, ACME_ROW);
    const pool = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "(512) 555-0201", [F.source]: "Google Ads", [F.numberType]: "Pool" });
    for (const number of ["+15125550100", "+15125550201", "+15125550202"]) twilio.own(number, pointed);
    await addTrackingNumber({ trackingNumber: "+15125550201", clientId: "acme", numberType: "Pool", airtableRecordId: pool.id });
    const slotsBefore = await paceSlotsTaken();

    const run = await release(["512-555-0201", "+15125550202"]);

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(accountNumbers()).toEqual(["+15125550100"]);
    expect(activeOf(pool.id)).toBe(false);
    expect(activeOf(acme.id)).toBe(true);
    expect(await routed("+15125550201")).toBe(false);
    expect(await paceSlotsTaken()).toBeGreaterThanOrEqual(slotsBefore + 2);
    expect(run.stdout.split("\n")).toEqual([
      `+15125550201: released on Twilio; row ${pool.id} unticked; it stopped routing at once.`,
      `+15125550202: released on Twilio; it had no row in "${CONFIG_TABLE}".`,
      "",
    ]);
  });

  it("leaves a number that is not on the account alone, row included, and says so", async () => {
    const other = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "+15125550299" });
    twilio.own("+15125550100", pointed);
    await addTrackingNumber({ trackingNumber: "+15125550299", clientId: "acme", airtableRecordId: other.id });

    const run = await release(["+15125550299"]);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `+15125550299: not on this Twilio account (${process.env.TWILIO_ACCOUNT_SID}), so nothing was released or changed. Its row ${other.id} still routes it: untick it in Airtable if the number is gone for good.`,
    );
    expect(accountNumbers()).toEqual(["+15125550100"]);
    expect(activeOf(other.id)).toBe(true);
    expect(await routed("+15125550299")).toBe(true);
    expect(twilio.requests.filter((request) => request.operation === "release")).toEqual([]);
  });

  it("changes nothing else when Twilio will not release a number, and goes on with the others", async () => {
    const first = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "+15125550201" });
    const second = airtable.addRow(CONFIG_TABLE, { ...ACME_ROW, [F.trackingNumber]: "+15125550202" });
    twilio.own("+15125550201", pointed);
    twilio.own("+15125550202", pointed);
    twilio.fail("release", { phoneNumber: "+15125550201", status: 500, message: "Internal Server Error" });

    const run = await release(["+15125550201", "+15125550202"]);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("+15125550201: Twilio did not release it (Twilio answered 500 (error 20500): Internal Server Error), so nothing else was changed.");
    expect(run.stdout).toContain(`+15125550202: released on Twilio; row ${second.id} unticked.`);
    expect(accountNumbers()).toEqual(["+15125550201"]);
    expect(activeOf(first.id)).toBe(true);
    expect(activeOf(second.id)).toBe(false);
  });

  it("refuses what is not a phone number before releasing anything", async () => {
    twilio.own("+15125550201", pointed);

    const run = await release(["+15125550201", "five-five-five"]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('"five-five-five" is not a phone number. Nothing was released.');
    expect(accountNumbers()).toEqual(["+15125550201"]);
    expect(twilio.requests).toEqual([]);
  });
});
