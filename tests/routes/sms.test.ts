import { beforeAll, describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { getDatabase } from "@/lib/db/get-database";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { configCache } from "@/lib/config/config-cache";
import { NO_RECENT_LEAD_REPLY } from "@/lib/sms/relay-client-reply";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { rowCounts } from "../support/row-counts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest, type Params } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber();
});

async function text(params: Params, to = config.trackingNumber): Promise<{ status: number; twiml: string; messageSid: string }> {
  const messageSid = typeof params.MessageSid === "string" ? params.MessageSid : sid("SM");
  const response = await sms(twilioRequest("/api/twilio/sms", { MessageSid: messageSid, To: to, NumMedia: "0", ...params }));
  return { status: response.status, twiml: await response.text(), messageSid };
}

/** The status callback a relay carries, naming the text it copies (XML-escaped as in TwiML). */
const relayAction = (messageSid: string) =>
  `action="${process.env.PUBLIC_BASE_URL}/api/twilio/status?event=relay&amp;for=${messageSid}" method="POST"`;

async function messagesWith(counterpart: string) {
  const db = await getDatabase();
  return db.query<{ direction: string; author: string; body: string; media: { url: string }[]; lead_id: string | null }>(
    "select direction, author, body, media, lead_id from public.messages where counterpart = $1 order by created_at",
    [counterpart],
  );
}

async function missedCall(caller: string, trackingNumber = config.trackingNumber): Promise<void> {
  const call = { CallSid: sid("CA"), From: caller, To: trackingNumber };
  await voice(twilioRequest("/api/twilio/voice", call));
  await status(twilioRequest("/api/twilio/status?event=dial", { ...call, DialCallStatus: "no-answer", DialBridged: "false" }));
  await settleDeferredWork();
}

describe("a lead texts a tracking number", () => {
  it("is logged with its body and media and relayed to the client's mobile with the sender shown", async () => {
    const lead = "+15125550134";
    const { twiml, messageSid } = await text({
      From: lead,
      Body: "Can you come today?",
      NumMedia: "2",
      MediaUrl0: "https://api.twilio.com/media/one.jpg",
      MediaContentType0: "image/jpeg",
      MediaUrl1: "https://api.twilio.com/media/two.png",
      MediaContentType1: "image/png",
    });

    expect(twiml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Message to="${config.smsForwardNumber}" from="${config.trackingNumber}" ${relayAction(messageSid)}>` +
        "<Body>Lead +1 512-555-0134: Can you come today?</Body>" +
        "<Media>https://api.twilio.com/media/one.jpg</Media><Media>https://api.twilio.com/media/two.png</Media></Message></Response>",
    );
    expect(await messagesWith(lead)).toEqual([
      expect.objectContaining({
        direction: "inbound",
        author: "lead",
        body: "Can you come today?",
        media: [
          { url: "https://api.twilio.com/media/one.jpg", contentType: "image/jpeg" },
          { url: "https://api.twilio.com/media/two.png", contentType: "image/png" },
        ],
      }),
    ]);
  });

  it("logs a repeated webhook once", async () => {
    const lead = phoneNumber();
    const params = { MessageSid: sid("SM"), From: lead, Body: "hello" };
    await text(params);
    const before = await rowCounts();
    const again = await text(params);

    expect(again.twiml).toContain("<Message");
    expect(await rowCounts()).toEqual(before);
    expect(await messagesWith(lead)).toHaveLength(1);
  });

  it("makes one lead of a caller who later texts", async () => {
    const lead = phoneNumber();
    await missedCall(lead);
    await text({ From: lead, Body: "saw your text" });
    const db = await getDatabase();
    expect(await db.query("select count(*)::int as leads from public.leads where caller = $1", [lead])).toEqual([{ leads: 1 }]);
  });

  it("keeps STOP as an opt-out that later missed-call texts honour, and START clears it", async () => {
    const lead = phoneNumber();
    await text({ From: lead, Body: "Stop" });
    await missedCall(lead);
    expect(twilioApi.sent.filter((message) => message.to === lead)).toEqual([]);

    await text({ From: lead, Body: "START" });
    const db = await getDatabase();
    expect(await db.query("select * from public.opt_outs where phone = $1", [lead])).toEqual([]);
    await missedCall(lead);
    expect(twilioApi.sent.filter((message) => message.to === lead)).toHaveLength(1);
  });

  it("takes Twilio's OptOutType over the body", async () => {
    const lead = phoneNumber();
    await text({ From: lead, Body: "please unsubscribe me", OptOutType: "STOP" });
    const db = await getDatabase();
    expect(await db.query("select reason from public.opt_outs where phone = $1", [lead])).toEqual([{ reason: "texted STOP" }]);
  });
});

describe("the client replies from their own mobile", () => {
  it("reaches the lead who most recently called or texted that number, from the tracking number, and creates no lead", async () => {
    const reply = await addTrackingNumber({ clientId: "reply-client", clientName: "Reply Co" });
    const earlier = phoneNumber();
    const latest = phoneNumber();
    await text({ From: earlier, Body: "first" }, reply.trackingNumber);
    await missedCall(latest, reply.trackingNumber);
    const before = await rowCounts();

    const { twiml, messageSid } = await text({ From: reply.smsForwardNumber, Body: "On our way!" }, reply.trackingNumber);

    expect(twiml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Message to="${latest}" from="${reply.trackingNumber}" ${relayAction(messageSid)}><Body>On our way!</Body></Message></Response>`,
    );
    expect((await rowCounts()).leads).toBe(before.leads);
    const db = await getDatabase();
    expect(await db.query("select direction, author, counterpart from public.messages where message_sid = $1", [messageSid])).toEqual([
      { direction: "outbound", author: "client", counterpart: latest },
    ]);
    expect(await db.query("select l.caller from internal.outbox o join public.leads l on l.id = o.lead_id where o.event_key = $1", [messageSid])).toEqual([
      { caller: latest },
    ]);
  });

  it("gets a one-line help reply when nobody contacted that number in the last 7 days, and no lead is made", async () => {
    const quiet = await addTrackingNumber({ clientId: "quiet-client" });
    const before = await rowCounts();
    const { twiml } = await text({ From: quiet.smsForwardNumber, Body: "hello?" }, quiet.trackingNumber);

    expect(twiml).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${NO_RECENT_LEAD_REPLY}</Message></Response>`);
    // Only the client's own text to its number, which Twilio bills all the same.
    expect(await rowCounts()).toEqual({ ...before, usage_events: before.usage_events + 1 });
  });

  it("does not reply to a lead older than 7 days", async () => {
    const stale = await addTrackingNumber({ clientId: "stale-client" });
    const lead = phoneNumber();
    await text({ From: lead, Body: "old question" }, stale.trackingNumber);
    const db = await getDatabase();
    await db.query("update public.messages set created_at = now() - interval '8 days' where counterpart = $1", [lead]);

    const { twiml } = await text({ From: stale.smsForwardNumber, Body: "sorry for the delay" }, stale.trackingNumber);
    expect(twiml).toContain(NO_RECENT_LEAD_REPLY);
  });

  it("never reaches another client's lead on the same tracking number, as after the number moved between clients", async () => {
    const before = await addTrackingNumber({ clientId: "first-owner" });
    const firstOwnersLead = phoneNumber();
    await text({ From: firstOwnersLead, Body: "Is this still the bakery?" }, before.trackingNumber);
    await missedCall(firstOwnersLead, before.trackingNumber);

    const moved = await addTrackingNumber({ ...before, clientId: "second-owner", clientName: "Second Owner", smsForwardNumber: phoneNumber("214") });
    configCache.expire(moved.trackingNumber);
    const quiet = await text({ From: moved.smsForwardNumber, Body: "Hi, this is Second Owner" }, moved.trackingNumber);
    expect(quiet.twiml).toContain(NO_RECENT_LEAD_REPLY);

    const ownLead = phoneNumber();
    await text({ From: ownLead, Body: "Do you deliver?" }, moved.trackingNumber);
    const db = await getDatabase();
    // The second owner's own lead wrote an hour ago, before the first owner's rows on this number.
    await db.query("update public.messages set created_at = now() - interval '1 hour' where counterpart = $1", [ownLead]);
    const reply = await text({ From: moved.smsForwardNumber, Body: "We do" }, moved.trackingNumber);
    expect(reply.twiml).toContain(`to="${ownLead}"`);
    expect(await db.query("select client_id, counterpart from public.messages where message_sid = $1", [reply.messageSid])).toEqual([
      { client_id: "second-owner", counterpart: ownLead },
    ]);
  });
});
