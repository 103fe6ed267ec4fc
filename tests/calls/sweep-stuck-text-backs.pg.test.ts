// Every instance runs the follow-ups each minute, and a slow webhook may wake up at the same
// moment: however many of them reach a stuck text-back together, the caller gets one text.
import { beforeAll, expect, it } from "vitest";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { recordCallOutcomeAndQueueFollowUps } from "@/lib/calls/record-call-outcome-and-queue-follow-ups";
import { sendMissedCallText } from "@/lib/calls/send-missed-call-text";
import { sweepStuckTextBacks } from "@/lib/calls/sweep-stuck-text-backs";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ clientId: "sweep-race-client" });
});

it("sends a stuck text-back once when four sweeps and its own late webhook reach it at the same moment", async () => {
  const db = await getDatabase();
  const callers = [phoneNumber(), phoneNumber(), phoneNumber()];
  const callSids: string[] = [];
  for (const caller of callers) {
    const call = { CallSid: sid("CA"), From: caller, To: config.trackingNumber };
    await voice(twilioRequest("/api/twilio/voice", call));
    await settleDeferredWork();
    await db.transaction((tx) => recordCallOutcomeAndQueueFollowUps(tx, config, call, { missed: "no-answer" }));
    callSids.push(call.CallSid);
  }
  await db.query("update internal.text_backs set created_at = now() - interval '2 minutes' where call_sid = any($1)", [callSids]);
  twilioApi.setLatency(50);

  await Promise.all([...Array.from({ length: 4 }, () => sweepStuckTextBacks(db)), ...callSids.map((callSid) => sendMissedCallText(callSid))]);

  for (const caller of callers) expect(twilioApi.sent.filter((message) => message.to === caller)).toHaveLength(1);
  expect(await db.query("select distinct status from internal.text_backs where call_sid = any($1)", [callSids])).toEqual([{ status: "sent" }]);
});
