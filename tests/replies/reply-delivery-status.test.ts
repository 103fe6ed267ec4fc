// How a reply sent from the inbox shows its delivery: only Twilio's signed message status callback
// (the statusCallback the reply was sent with) moves it, forward only, with the error code when it
// fails; a number Twilio reports cannot receive texts then refuses the next reply.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { CANNOT_RECEIVE_MESSAGE, sendInboxReply } from "@/lib/inbox/send-inbox-reply";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { ACME_OFFICE } from "../support/seeded-viewers";
import { phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const ACME_TRACKING = "+15125550100";
const { twilioApi } = useRemoteServices();

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
});

async function replyToNewLead(): Promise<{ leadId: string; caller: string; messageSid: string; statusCallback: string }> {
  const caller = phoneNumber();
  await sms(twilioRequest("/api/twilio/sms", { MessageSid: sid("SM"), From: caller, To: ACME_TRACKING, Body: "Quote please", NumMedia: "0" }));
  await settleDeferredWork();
  const db = await getDatabase();
  const [lead] = await db.query<{ id: string }>("select id from public.leads where caller = $1", [caller]);
  const result = await sendInboxReply(db, ACME_OFFICE, lead.id, "Sure, what size is the job?");
  if (!result.ok) throw new Error(result.message);
  const [sent] = twilioApi.sent.filter((message) => message.to === caller);
  return { leadId: lead.id, caller, messageSid: result.messageSid, statusCallback: sent.statusCallback! };
}

/** Twilio's callback to the URL the reply was sent with, signed over that URL. */
async function statusCallback(url: string, params: { MessageSid: string; MessageStatus: string; ErrorCode?: string }, token?: string) {
  const { pathname, search } = new URL(url);
  const response = await status(
    twilioRequest(pathname + search, { AccountSid: process.env.TWILIO_ACCOUNT_SID!, To: "+15125550000", From: ACME_TRACKING, ...params }, { token }),
  );
  await settleDeferredWork();
  return response;
}

async function deliveryOf(messageSid: string) {
  const db = await getDatabase();
  const [row] = await db.query("select status, error_code from public.messages where message_sid = $1", [messageSid]);
  return row;
}

describe("the delivery status of an inbox reply", () => {
  it("moves queued → sent → delivered from Twilio's signed callbacks, and never back", async () => {
    const reply = await replyToNewLead();
    expect(await deliveryOf(reply.messageSid)).toEqual({ status: "queued", error_code: null });

    for (const MessageStatus of ["sent", "delivered", "sent"]) {
      expect((await statusCallback(reply.statusCallback, { MessageSid: reply.messageSid, MessageStatus })).status).toBe(200);
    }

    expect(await deliveryOf(reply.messageSid)).toEqual({ status: "delivered", error_code: null });
  });

  it("shows a failure with Twilio's error code", async () => {
    const reply = await replyToNewLead();
    await statusCallback(reply.statusCallback, { MessageSid: reply.messageSid, MessageStatus: "failed", ErrorCode: "30007" });
    expect(await deliveryOf(reply.messageSid)).toEqual({ status: "failed", error_code: 30007 });
  });

  it("shows undelivered (30006), and the next reply to that number is refused", async () => {
    const reply = await replyToNewLead();
    await statusCallback(reply.statusCallback, { MessageSid: reply.messageSid, MessageStatus: "undelivered", ErrorCode: "30006" });
    expect(await deliveryOf(reply.messageSid)).toEqual({ status: "undelivered", error_code: 30006 });

    const next = await sendInboxReply(await getDatabase(), ACME_OFFICE, reply.leadId, "Hello again");
    expect(next).toEqual({ ok: false, reason: "cannot-receive", message: CANNOT_RECEIVE_MESSAGE });
  });

  it("ignores a callback that is not signed with the account's token", async () => {
    const reply = await replyToNewLead();
    const response = await statusCallback(reply.statusCallback, { MessageSid: reply.messageSid, MessageStatus: "delivered" }, "someone-elses-token");
    expect(response.status).toBe(403);
    expect(await deliveryOf(reply.messageSid)).toEqual({ status: "queued", error_code: null });
  });
});
