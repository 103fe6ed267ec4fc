// A process that dies between queueing a missed-call text and finishing its send leaves the text
// pending or sending. The sweep (run every minute by the call follow-ups) finishes it, so it is
// sent once or recorded as failed, and never holds the caller's one text a day.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { CALL_ANSWERED, recordCallOutcomeAndQueueFollowUps } from "@/lib/calls/record-call-outcome-and-queue-follow-ups";
import { STOPPED_WHILE_SENDING, sweepStuckTextBacks, TOO_LATE_TO_SEND } from "@/lib/calls/sweep-stuck-text-backs";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ clientId: "sweep-client", textBackMessage: "Sorry we missed you! Text us here." });
});

type Call = { CallSid: string; From: string; To: string };

async function inboundCall(caller: string): Promise<Call> {
  const call = { CallSid: sid("CA"), From: caller, To: config.trackingNumber };
  await voice(twilioRequest("/api/twilio/voice", call));
  await settleDeferredWork();
  return call;
}

/** A missed call whose webhook committed the text-back, then died before its after() work sent it. */
async function missedCallWhoseProcessDied(caller = phoneNumber()): Promise<Call> {
  const call = await inboundCall(caller);
  const db = await getDatabase();
  expect(await db.transaction((tx) => recordCallOutcomeAndQueueFollowUps(tx, config, call, { missed: "no-answer" }))).toBe(true);
  return call;
}

async function missedCall(caller: string): Promise<void> {
  const call = await inboundCall(caller);
  await status(twilioRequest("/api/twilio/status?event=dial", { ...call, DialCallStatus: "no-answer", DialBridged: "false" }));
  await settleDeferredWork();
}

async function age(callSid: string, column: "created_at" | "updated_at", interval: string): Promise<void> {
  const db = await getDatabase();
  await db.query(`update internal.text_backs set ${column} = now() - $2::interval where call_sid = $1`, [callSid, interval]);
}

async function textBack(callSid: string) {
  const db = await getDatabase();
  const [row] = await db.query<{ status: string; error_message: string | null }>(
    "select status, error_message from internal.text_backs where call_sid = $1",
    [callSid],
  );
  return row;
}

const textsTo = (caller: string) => twilioApi.sent.filter((message) => message.to === caller);

describe("sweeping text-backs a dead process left behind", () => {
  it("sends one left pending for over a minute, once, however often it runs", async () => {
    const call = await missedCallWhoseProcessDied();
    await age(call.CallSid, "created_at", "2 minutes");

    await sweepStuckTextBacks(await getDatabase());
    await sweepStuckTextBacks(await getDatabase());

    expect(textsTo(call.From)).toEqual([expect.objectContaining({ from: config.trackingNumber, body: "Sorry we missed you! Text us here." })]);
    expect(await textBack(call.CallSid)).toEqual({ status: "sent", error_message: null });
    const db = await getDatabase();
    expect(await db.query("select author, body from public.messages where counterpart = $1", [call.From])).toEqual([
      { author: "auto", body: "Sorry we missed you! Text us here." },
    ]);
  });

  it("leaves one pending for under a minute to its own webhook", async () => {
    const call = await missedCallWhoseProcessDied();
    expect(await sweepStuckTextBacks(await getDatabase())).toMatchObject({ retried: 0 });
    expect(textsTo(call.From)).toEqual([]);
    expect(await textBack(call.CallSid)).toMatchObject({ status: "pending" });
  });

  it("fails one stuck while sending, without sending it again, and the caller's next missed call is texted", async () => {
    const call = await missedCallWhoseProcessDied();
    const db = await getDatabase();
    await db.query("update internal.text_backs set status = 'sending' where call_sid = $1", [call.CallSid]);
    await age(call.CallSid, "updated_at", "2 minutes");
    await sweepStuckTextBacks(db);
    expect(await textBack(call.CallSid)).toMatchObject({ status: "sending" });

    await age(call.CallSid, "updated_at", "6 minutes");
    expect(await sweepStuckTextBacks(db)).toMatchObject({ failed: 1 });
    expect(await textBack(call.CallSid)).toEqual({ status: "failed", error_message: STOPPED_WHILE_SENDING });
    expect(textsTo(call.From)).toEqual([]);

    await missedCall(call.From);
    expect(textsTo(call.From)).toHaveLength(1);
  });

  it("never sends one pending for over an hour: a text that late would only puzzle the caller", async () => {
    const call = await missedCallWhoseProcessDied();
    await age(call.CallSid, "created_at", "2 hours");
    await sweepStuckTextBacks(await getDatabase());

    expect(textsTo(call.From)).toEqual([]);
    expect(await textBack(call.CallSid)).toEqual({ status: "failed", error_message: TOO_LATE_TO_SEND });
  });

  it("never sends one whose call turned out answered, and the caller's next missed call is texted", async () => {
    const call = await inboundCall(phoneNumber());
    const db = await getDatabase();
    await db.transaction((tx) => recordCallOutcomeAndQueueFollowUps(tx, config, call, { missed: "abandoned" }));
    await status(
      twilioRequest("/api/twilio/status?event=dial", { ...call, DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "60" }),
    );
    await settleDeferredWork();
    await age(call.CallSid, "created_at", "2 minutes");

    expect(await sweepStuckTextBacks(db)).toMatchObject({ retried: 0 });
    expect(await textBack(call.CallSid)).toEqual({ status: "canceled", error_message: CALL_ANSWERED });
    expect(textsTo(call.From)).toEqual([]);

    await missedCall(call.From);
    expect(textsTo(call.From)).toHaveLength(1);
  });
});
