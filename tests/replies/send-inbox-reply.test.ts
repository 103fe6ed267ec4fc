// A client answers a lead from the inbox: the text leaves from the lead's tracking number through
// the real twilio package (the Twilio stand-in behind msw), is kept as the client's reply, queued
// for the pipeline, and refused with a clear reason when the lead cannot or must not be texted.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import {
  CANNOT_RECEIVE_MESSAGE,
  NO_TRACKING_NUMBER_MESSAGE,
  NOT_SENT_MESSAGE,
  OPTED_OUT_MESSAGE,
  sendInboxReply,
  WITHHELD_MESSAGE,
} from "@/lib/inbox/send-inbox-reply";
import { TWILIO_OPT_OUT_REASON } from "@/lib/sms/opt-outs";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { rowCounts } from "../support/row-counts";
import { ACME_OFFICE, AGENCY_OWNER, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const ACME_TRACKING = "+15125550100";
const { twilioApi } = useRemoteServices();

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
});

const savedEnv = { ...process.env };
afterEach(() => {
  for (const key of ["TWILIO_ACCOUNT_SID", "TWILIO_MESSAGING_SERVICE_SID"]) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

/** A lead made the way leads are made: its first text to a tracking number. */
async function leadWhoTexted(trackingNumber = ACME_TRACKING, caller = phoneNumber(), body = "Do you do weekends?"): Promise<{ id: string; caller: string }> {
  const response = await sms(twilioRequest("/api/twilio/sms", { MessageSid: sid("SM"), From: caller, To: trackingNumber, Body: body, NumMedia: "0" }));
  expect(response.status).toBe(200);
  await settleDeferredWork();
  const db = await getDatabase();
  const [lead] = await db.query<{ id: string }>("select id from public.leads where caller = $1", [caller]);
  return { id: lead.id, caller };
}

async function storedMessage(messageSid: string) {
  const db = await getDatabase();
  const [message] = await db.query(
    "select direction, author, tracking_number, counterpart, body, status, error_code, lead_id from public.messages where message_sid = $1",
    [messageSid],
  );
  return message;
}

async function pipelineJobs(messageSid: string) {
  const db = await getDatabase();
  return db.query("select lead_id, topic, status from internal.outbox where event_key = $1", [messageSid]);
}

const textsTo = (phone: string) => twilioApi.sent.filter((message) => message.to === phone);

describe("a reply from the inbox", () => {
  it("goes from the lead's tracking number to the lead, is kept as the client's reply and queued for the pipeline", async () => {
    const lead = await leadWhoTexted();
    const db = await getDatabase();

    const result = await sendInboxReply(db, ACME_OFFICE, lead.id, "  Yes, Saturday 9am works.  ");

    expect(result).toEqual({ ok: true, messageSid: expect.stringMatching(/^SM/), status: "queued" });
    const messageSid = result.ok ? result.messageSid : "";
    expect(textsTo(lead.caller)).toEqual([
      {
        sid: messageSid,
        to: lead.caller,
        from: ACME_TRACKING,
        messagingServiceSid: undefined,
        body: "Yes, Saturday 9am works.",
        statusCallback: `${process.env.PUBLIC_BASE_URL}/api/twilio/status`,
      },
    ]);
    expect(await storedMessage(messageSid)).toEqual({
      direction: "outbound",
      author: "client",
      tracking_number: ACME_TRACKING,
      counterpart: lead.caller,
      body: "Yes, Saturday 9am works.",
      status: "queued",
      error_code: null,
      lead_id: lead.id,
    });
    expect(await pipelineJobs(messageSid)).toEqual([{ lead_id: lead.id, topic: "lead.sync", status: "pending" }]);
  });

  it("goes through the Messaging Service when one is configured, still from the tracking number", async () => {
    process.env.TWILIO_MESSAGING_SERVICE_SID = `MG${"ab".repeat(16)}`;
    const lead = await leadWhoTexted();

    const result = await sendInboxReply(await getDatabase(), ACME_OFFICE, lead.id, "On our way");

    expect(result.ok).toBe(true);
    expect(textsTo(lead.caller)).toEqual([
      expect.objectContaining({ from: ACME_TRACKING, messagingServiceSid: process.env.TWILIO_MESSAGING_SERVICE_SID }),
    ]);
  });

  it("can be sent by agency staff to any client's lead", async () => {
    const lead = await leadWhoTexted();
    const result = await sendInboxReply(await getDatabase(), AGENCY_OWNER, lead.id, "Northwind here, following up.");
    expect(result.ok).toBe(true);
    expect(textsTo(lead.caller)).toHaveLength(1);
  });

  it("is recorded as simulated, with no request to Twilio, when no Twilio account is configured", async () => {
    const lead = await leadWhoTexted();
    delete process.env.TWILIO_ACCOUNT_SID;

    const result = await sendInboxReply(await getDatabase(), ACME_OFFICE, lead.id, "Testing locally");

    expect(result).toEqual({ ok: true, messageSid: expect.stringMatching(/^SM/), status: "simulated" });
    expect(twilioApi.sent).toEqual([]);
    expect(await storedMessage(result.ok ? result.messageSid : "")).toEqual(
      expect.objectContaining({ author: "client", status: "simulated", body: "Testing locally" }),
    );
  });
});

describe("a reply the inbox refuses", () => {
  it("to a caller who texted STOP says so and sends nothing", async () => {
    const lead = await leadWhoTexted();
    await leadWhoTexted(ACME_TRACKING, lead.caller, "STOP");
    const before = await rowCounts();

    const result = await sendInboxReply(await getDatabase(), ACME_OFFICE, lead.id, "Are you sure?");

    expect(result).toEqual({ ok: false, reason: "opted-out", message: OPTED_OUT_MESSAGE });
    expect(twilioApi.attempts(lead.caller)).toBe(0);
    expect(await rowCounts()).toEqual(before);
  });

  it("to a number Twilio reported cannot receive texts says so and sends nothing", async () => {
    const lead = await leadWhoTexted();
    const db = await getDatabase();
    await db.query("insert into public.opt_outs (client_id, phone, reason, cannot_receive_texts) values ('acme-plumbing', $1, 'Twilio 30006', true)", [lead.caller]);

    const result = await sendInboxReply(db, ACME_OFFICE, lead.id, "Hello?");

    expect(result).toEqual({ ok: false, reason: "cannot-receive", message: CANNOT_RECEIVE_MESSAGE });
    expect(twilioApi.attempts(lead.caller)).toBe(0);
  });

  it("to another client's lead is not found, and nothing is sent or written", async () => {
    const lead = await leadWhoTexted();
    const before = await rowCounts();

    const result = await sendInboxReply(await getDatabase(), BRIGHT_FRONT_DESK, lead.id, "Hi from Bright");

    expect(result).toEqual({ ok: false, reason: "not-found", message: "Lead not found." });
    expect(twilioApi.attempts(lead.caller)).toBe(0);
    expect(await rowCounts()).toEqual(before);
  });

  it("to a lead id that is not a lead id is not found", async () => {
    const result = await sendInboxReply(await getDatabase(), ACME_OFFICE, "../../etc", "hi");
    expect(result).toEqual({ ok: false, reason: "not-found", message: "Lead not found." });
  });

  it("to a withheld caller says there is no one to text", async () => {
    const callSid = sid("CA");
    await voice(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: "anonymous", To: ACME_TRACKING }));
    await settleDeferredWork();
    const db = await getDatabase();
    const [{ lead_id }] = await db.query<{ lead_id: string }>("select lead_id from public.calls where call_sid = $1", [callSid]);

    const result = await sendInboxReply(db, ACME_OFFICE, lead_id, "Who is this?");

    expect(result).toEqual({ ok: false, reason: "withheld", message: WITHHELD_MESSAGE });
    expect(twilioApi.sent).toEqual([]);
  });

  it("from a tracking number the client no longer has active says so and sends nothing", async () => {
    const retired = await addTrackingNumber({ clientId: "acme-plumbing", clientName: "Acme Plumbing" });
    const lead = await leadWhoTexted(retired.trackingNumber);
    const db = await getDatabase();
    await db.query("update public.tracking_numbers set active = false where phone_number = $1", [retired.trackingNumber]);

    const result = await sendInboxReply(db, ACME_OFFICE, lead.id, "Still there?");

    expect(result).toEqual({ ok: false, reason: "no-tracking-number", message: NO_TRACKING_NUMBER_MESSAGE });
    expect(twilioApi.attempts(lead.caller)).toBe(0);
  });

  it.each([
    ["empty", "   ", "Write a reply first."],
    ["too long", "x".repeat(1601), "A reply can be at most 1,600 characters."],
  ])("that is %s says what is wrong and sends nothing", async (_, body, message) => {
    const lead = await leadWhoTexted();
    const result = await sendInboxReply(await getDatabase(), ACME_OFFICE, lead.id, body);
    expect(result).toEqual({ ok: false, reason: "invalid-body", message });
    expect(twilioApi.attempts(lead.caller)).toBe(0);
  });
});

describe("a reply sent that cannot be kept under the user's claims", () => {
  it("is kept and queued all the same when its tracking number moved to another client while Twilio answered", async () => {
    const moving = await addTrackingNumber({ clientId: "acme-plumbing", clientName: "Acme Plumbing" });
    const elsewhere = await addTrackingNumber({ clientId: `moved-to-${phoneNumber().slice(-7)}` });
    const lead = await leadWhoTexted(moving.trackingNumber);
    const db = await getDatabase();
    twilioApi.whileAccepting(lead.caller, async () => {
      await db.query("update public.tracking_numbers set client_id = $2 where phone_number = $1", [moving.trackingNumber, elsewhere.clientId]);
    });

    const result = await sendInboxReply(db, ACME_OFFICE, lead.id, "We can come Monday.");

    expect(result).toEqual({ ok: true, messageSid: expect.stringMatching(/^SM/), status: "queued" });
    const messageSid = result.ok ? result.messageSid : "";
    expect(await storedMessage(messageSid)).toMatchObject({
      direction: "outbound",
      author: "client",
      tracking_number: moving.trackingNumber,
      counterpart: lead.caller,
      body: "We can come Monday.",
      status: "queued",
      lead_id: lead.id,
    });
    expect(await pipelineJobs(messageSid)).toEqual([{ lead_id: lead.id, topic: "lead.sync", status: "pending" }]);
    expect(textsTo(lead.caller)).toHaveLength(1);
  });
});

describe("a reply Twilio refuses", () => {
  it("with 21610 records the opt-out, says so, and keeps nothing as sent", async () => {
    const lead = await leadWhoTexted();
    twilioApi.failFor(lead.caller, { code: 21610, message: "Attempt to send to unsubscribed recipient" });
    const db = await getDatabase();
    const messagesBefore = (await rowCounts()).messages;

    const result = await sendInboxReply(db, ACME_OFFICE, lead.id, "Following up");

    expect(result).toEqual({ ok: false, reason: "opted-out", message: OPTED_OUT_MESSAGE });
    expect(await db.query("select reason, cannot_receive_texts from public.opt_outs where phone = $1", [lead.caller])).toEqual([
      { reason: TWILIO_OPT_OUT_REASON, cannot_receive_texts: false },
    ]);
    expect((await rowCounts()).messages).toBe(messagesBefore);

    const again = await sendInboxReply(db, ACME_OFFICE, lead.id, "Following up");
    expect(again).toEqual({ ok: false, reason: "opted-out", message: OPTED_OUT_MESSAGE });
    expect(twilioApi.attempts(lead.caller)).toBe(1);
  });

  it("for any other reason says it could not be sent, and keeps nothing as sent", async () => {
    const lead = await leadWhoTexted();
    twilioApi.failFor(lead.caller, { status: 503, code: 20503, message: "Service unavailable" });
    const before = await rowCounts();

    const result = await sendInboxReply(await getDatabase(), ACME_OFFICE, lead.id, "Following up");

    expect(result).toEqual({ ok: false, reason: "not-sent", message: NOT_SENT_MESSAGE });
    expect(await rowCounts()).toEqual(before);
  });
});
