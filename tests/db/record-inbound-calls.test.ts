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

  it("dates calls and leads by when the calls began, whatever order the writes run in", async () => {
    const caller = phoneNumber();
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 10, minute));
    const [early, late, later, latest] = [call(caller), call(caller), call(caller), call(caller)];
    const db = await getDatabase();
    await recordInboundCalls(db, [{ ...late, startedAt: at(5) }]);
    await recordInboundCalls(db, [{ ...early, startedAt: at(0) }]);
    await recordInboundCalls(db, [
      { ...latest, startedAt: at(9) },
      { ...later, startedAt: at(7) },
    ]);
    // Logged first by a callback that came after it began, then by its own voice webhook.
    await recordInboundCalls(db, [{ ...latest, startedAt: at(8) }]);

    const calls = await db.query<{ call_sid: string; started_at: Date }>(
      "select call_sid, started_at from public.calls where caller = $1 order by started_at",
      [caller],
    );
    expect(calls).toEqual([
      { call_sid: early.call.CallSid, started_at: at(0) },
      { call_sid: late.call.CallSid, started_at: at(5) },
      { call_sid: later.call.CallSid, started_at: at(7) },
      { call_sid: latest.call.CallSid, started_at: at(8) },
    ]);
    expect(await db.query("select first_contact_at, last_contact_at from public.leads where caller = $1", [caller])).toEqual([
      { first_contact_at: at(0), last_contact_at: at(9) },
    ]);
  });

  it("moves a new lead's first contact back to the voice webhook's arrival when a callback logged the call first", async () => {
    const caller = phoneNumber();
    const at = (second: number) => new Date(Date.UTC(2026, 0, 6, 9, 0, second));
    const first = call(caller);
    const db = await getDatabase();
    await recordInboundCalls(db, [{ ...first, startedAt: at(40) }]);
    await recordInboundCalls(db, [{ ...first, startedAt: at(2) }]);

    expect(await db.query("select first_contact_at from public.leads where caller = $1", [caller])).toEqual([{ first_contact_at: at(2) }]);
  });
});
