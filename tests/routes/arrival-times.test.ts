// Rows carry the time Twilio's request arrived, never the time a late write ran, and the client's
// reply goes to whoever contacted the number last by that time. Here the webhooks' after() work is
// held until the test lets it run, as it runs late when the database was down or slow; the clock
// is the test's, and the embedded database's now() follows it.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const heldWork = vi.hoisted(() => [] as (() => Promise<unknown>)[]);
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => Promise<unknown>) => void heldWork.push(task),
}));

import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { lookupTrackingNumber } from "@/lib/config/lookup-tracking-number";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

useRemoteServices();

async function runHeldWork(): Promise<void> {
  while (heldWork.length > 0) await Promise.all(heldWork.splice(0).map((task) => task()));
}

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ clientId: "arrival-client" });
});

afterEach(async () => {
  vi.useRealTimers();
  await runHeldWork();
});

const clockAt = (time: number) => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(time);
};

const text = (from: string, body: string, messageSid = sid("SM")) =>
  sms(twilioRequest("/api/twilio/sms", { MessageSid: messageSid, From: from, To: config.trackingNumber, Body: body, NumMedia: "0" }));

describe("the client's reply after a database outage", () => {
  it("goes to the lead who texted last, not to a caller 3 s earlier whose call was written 30 s late", async () => {
    const lead = phoneNumber();
    const caller = phoneNumber();
    const callSid = sid("CA");
    const textArrived = Date.now();

    clockAt(textArrived - 3000);
    const answer = await voice(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: caller, To: config.trackingNumber }));
    expect(await answer.text()).toContain("<Dial");
    clockAt(textArrived);
    expect(await (await text(lead, "Are you still open?")).text()).toContain(`to="${config.smsForwardNumber}"`);
    clockAt(textArrived + 33_000);
    await runHeldWork();

    clockAt(textArrived + 40_000);
    const reply = await (await text(config.smsForwardNumber, "Yes, until six")).text();
    expect(reply).toContain(`to="${lead}"`);
    const db = await getDatabase();
    expect(await db.query("select started_at from public.calls where call_sid = $1", [callSid])).toEqual([
      { started_at: new Date(textArrived - 3000) },
    ]);
  });
});

describe("a lead's text written late", () => {
  it("is stamped, and so is the lead's last contact, with when it arrived, though its write waited on a busy database", async () => {
    const lead = phoneNumber();
    const messageSid = sid("SM");
    const arrived = Date.now();
    clockAt(arrived);
    // In memory, as after any recent call or text, so routing needs no database.
    await lookupTrackingNumber(config.trackingNumber);
    const db = await getDatabase();
    const { promise: holding, resolve: release } = Promise.withResolvers<void>();
    const { promise: busyNow, resolve: nowBusy } = Promise.withResolvers<void>();
    const busy = db.transaction(async () => {
      nowBusy();
      await holding;
    });
    await busyNow;

    const answering = text(lead, "Quote for a new boiler?", messageSid);
    clockAt(arrived + 30_000);
    release();
    await busy;
    expect(await (await answering).text()).toContain(`to="${config.smsForwardNumber}"`);

    expect(await db.query("select created_at from public.messages where message_sid = $1", [messageSid])).toEqual([{ created_at: new Date(arrived) }]);
    expect(await db.query("select first_contact_at, last_contact_at from public.leads where caller = $1", [lead])).toEqual([
      { first_contact_at: new Date(arrived), last_contact_at: new Date(arrived) },
    ]);
  });
});
