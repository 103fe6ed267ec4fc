// Calls and texts that only Twilio's logs hold (the process died after answering, the database was
// down) are written by reconciliation through the same loggers as the webhooks, so they are
// attributed too, at the time Twilio logged them, however much later the write runs.
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/database";
import { getDatabase } from "@/lib/db/get-database";
import { reconcileFromTwilio } from "@/lib/reconcile/reconcile-from-twilio";
import { useRemoteServices } from "../support/remote-services";
import { placeCall } from "../support/simulated-contacts";
import { logForwardedCall, logInboundText, minutesAgo } from "../support/twilio-logs";
import { BRAND_CLICK, carried, GOOGLE_ADS_CLICK, newCaller, openAttributionLab, type AttributionLab } from "./attribution-lab";

const { twilioApi } = useRemoteServices();

let db: Database;
let lab: AttributionLab;
beforeAll(async () => {
  db = await getDatabase();
  lab = await openAttributionLab(db);
});

describe("reconciliation", () => {
  it("attributes a lost call and text at Twilio's times, and gives the lead the lost call's earlier touch", async () => {
    const [first, second] = lab.pool;
    const spring = await lab.addVisit(GOOGLE_ADS_CLICK);
    const brand = await lab.addVisit(BRAND_CLICK);
    const nextOnFirst = await lab.addVisit({ source: "Google Ads", medium: "cpc", campaign: "someone-else" });
    // The spring visitor held the first number 50 to 35 minutes ago; someone else has it since 20 minutes ago.
    await lab.lease(first, spring, minutesAgo(50), minutesAgo(35));
    await lab.lease(first, nextOnFirst, minutesAgo(20), minutesAgo(-10));
    await lab.lease(second, brand, minutesAgo(15), minutesAgo(-15));
    const caller = newCaller();
    // 45 minutes ago the caller rang the first number and texted it 25 minutes ago; neither reached Postgres.
    const lostCall = logForwardedCall(twilioApi, first, { dialed: { status: "completed", duration: 60 }, endedSecondsAgo: 44 * 60, from: caller });
    const lostText = logInboundText(twilioApi, first.trackingNumber, { from: caller, body: "Still need someone today", sentSecondsAgo: 25 * 60 });
    // 10 minutes ago they rang the second number, which the webhooks logged.
    await placeCall(second.trackingNumber, caller, "answered");
    expect(await lab.leadOf(caller)).toMatchObject(carried(brand, BRAND_CLICK));

    await reconcileFromTwilio({ sinceMs: 2 * 60 * 60_000 });

    expect(await lab.callTouch(lostCall.callSid)).toEqual(carried(spring, GOOGLE_ADS_CLICK));
    expect(await lab.textTouch(lostText.messageSid)).toEqual(carried(spring, GOOGLE_ADS_CLICK));
    expect(await lab.leadOf(caller)).toEqual({ ...carried(spring, GOOGLE_ADS_CLICK), first_contact_at: lostCall.startTime });
  });
});
