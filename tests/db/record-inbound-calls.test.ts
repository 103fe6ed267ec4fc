import { beforeAll, describe, expect, it } from "vitest";
import { recordInboundCalls } from "@/lib/calls/record-inbound-call";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ clientId: "batch-client" });
});

const call = (from: string) => ({ config, call: { CallSid: sid("CA"), From: from, To: config.trackingNumber } });

describe("logging calls that arrive together", () => {
  it("logs every call of a batch once, one lead per caller, one pipeline job per call", async () => {
    const repeat = phoneNumber();
    const batch = [call(repeat), call(phoneNumber()), call(repeat), call("anonymous"), call("anonymous")];
    const db = await getDatabase();
    await recordInboundCalls(db, [...batch, batch[1]]);
    await recordInboundCalls(db, batch);

    const sids = batch.map(({ call }) => call.CallSid);
    const calls = await db.query<{ call_sid: string; lead_id: string }>("select call_sid, lead_id from public.calls where call_sid = any($1)", [sids]);
    expect(calls).toHaveLength(5);
    const leadOf = new Map(calls.map((row) => [row.call_sid, row.lead_id]));
    expect(leadOf.get(sids[0])).toBe(leadOf.get(sids[2]));
    expect(new Set(leadOf.values()).size).toBe(4);
    const jobs = await db.query("select event_key from internal.outbox where event_key = any($1)", [sids]);
    expect(jobs).toHaveLength(5);
  });
});
