import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/twilio/voice/route";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const ACME_TRACKING = "+15125550100";
const ACME_PRIMARY = "+15125550111";

useRemoteServices();

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
});

async function callsFor(callSid: string) {
  await settleDeferredWork();
  const db = await getDatabase();
  return db.query<{ client_id: string | null; lead_id: string | null; outcome: string | null }>(
    "select client_id, lead_id, outcome from public.calls where call_sid = $1",
    [callSid],
  );
}

describe("POST /api/twilio/voice", () => {
  it("forwards a call to a known tracking number to the client's primary number and logs it once answered", async () => {
    const callSid = sid("CA");
    const response = await POST(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: "+15125550150", To: ACME_TRACKING }));
    const twiml = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(twiml).toMatch(new RegExp(`<Dial action="https://leads\\.example\\.test/api/twilio/status\\?event=dial" method="POST" timeout="20"><Number>\\${ACME_PRIMARY}</Number></Dial>`));
    expect(await callsFor(callSid)).toEqual([expect.objectContaining({ client_id: "acme-plumbing", lead_id: expect.any(String) })]);
  });

  it.each(["anonymous", "+266696687"])("forwards a withheld caller (%s), making each such call its own lead", async (withheld) => {
    const first = sid("CA");
    const second = sid("CA");
    for (const callSid of [first, second]) {
      const response = await POST(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: withheld, To: ACME_TRACKING }));
      expect(await response.text()).toContain(`<Number>${ACME_PRIMARY}</Number>`);
    }
    const [one] = await callsFor(first);
    const [two] = await callsFor(second);
    expect(one.lead_id).toEqual(expect.any(String));
    expect(two.lead_id).toEqual(expect.any(String));
    expect(one.lead_id).not.toBe(two.lead_id);
  });

  it("makes one lead of a caller who calls twice, and queues it for the pipeline once per call", async () => {
    const caller = "+15125550161";
    const calls = [sid("CA"), sid("CA")];
    for (const callSid of calls) await POST(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: caller, To: ACME_TRACKING }));
    await POST(twilioRequest("/api/twilio/voice", { CallSid: calls[1], From: caller, To: ACME_TRACKING }));
    await settleDeferredWork();

    const db = await getDatabase();
    const leads = await db.query<{ id: string }>("select id from public.leads where caller = $1", [caller]);
    expect(leads).toHaveLength(1);
    const jobs = await db.query("select topic, event_key, status from internal.outbox where lead_id = $1 order by id", [leads[0].id]);
    expect(jobs).toEqual(calls.map((callSid) => ({ topic: "lead.sync", event_key: callSid, status: "pending" })));
  });

  it("dates the call and its new lead by when Twilio asked, not by when the deferred write ran", async () => {
    const callSid = sid("CA");
    const caller = phoneNumber();
    const asked = new Date(Date.now() - 10 * 60_000);
    vi.useFakeTimers({ toFake: ["Date"], now: asked });
    await POST(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: caller, To: ACME_TRACKING }));
    vi.useRealTimers();
    await settleDeferredWork();

    const db = await getDatabase();
    expect(await db.query("select started_at from public.calls where call_sid = $1", [callSid])).toEqual([{ started_at: asked }]);
    expect(await db.query("select first_contact_at, last_contact_at from public.leads where caller = $1", [caller])).toEqual([
      { first_contact_at: asked, last_contact_at: asked },
    ]);
  });

  it("shows the business the tracking number instead of the caller when the client asks for it", async () => {
    const config = await addTrackingNumber({ showTrackingNumber: true, ringTimeoutSeconds: 25 });
    const response = await POST(twilioRequest("/api/twilio/voice", { CallSid: sid("CA"), From: "+15125550150", To: config.trackingNumber }));
    expect(await response.text()).toContain(`timeout="25" callerId="${config.trackingNumber}"><Number>${config.primaryNumber}</Number>`);
  });

  it("answers an unknown number politely, without a <Dial>, and logs the call as unrouted", async () => {
    const callSid = sid("CA");
    const response = await POST(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: "+15125550150", To: "+19995550000" }));
    const twiml = await response.text();

    expect(response.status).toBe(200);
    expect(twiml).toContain("<Say>");
    expect(twiml).not.toContain("<Dial");
    expect(await callsFor(callSid)).toEqual([{ client_id: null, lead_id: null, outcome: "unrouted" }]);
  });
});
