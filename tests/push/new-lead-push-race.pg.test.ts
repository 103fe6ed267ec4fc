// On PostgreSQL, where webhooks and instances really run at once: a new caller's call and text
// arriving together, with the call's webhook delivered twice, make one lead and one push per
// browser; a look while a lead's write has not committed leaves that lead for a later look; and two
// pushes running at once, as on two instances, push each waiting lead once.
import { describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { recordInboundCalls } from "@/lib/calls/record-inbound-call";
import { readTrackingNumberSnapshot } from "@/lib/config/tracking-number-snapshot";
import { getDatabase } from "@/lib/db/get-database";
import { notifyNewLeads } from "@/lib/push/notify-new-leads";
import { inboundSmsSchema } from "@/lib/sms/inbound-sms";
import { recordInboundSms } from "@/lib/sms/record-inbound-sms";
import { settleDeferredWork } from "../support/deferred-work";
import { ACME_OFFICE, AGENCY_OWNER } from "../support/seeded-viewers";
import { phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";
import { usePushService } from "./use-push-service";

const ACME_TRACKING = "+15125550100";
const { pushService, pushedUrls } = usePushService([AGENCY_OWNER, ACME_OFFICE]);
const twiceEach = (leads: { id: string }[]) => leads.flatMap((lead) => [`/inbox/${lead.id}`, `/inbox/${lead.id}`]).sort();

describe("new callers whose call and text race", () => {
  it("each make one lead, pushed once to each of the two subscribed browsers", async () => {
    const callers = Array.from({ length: 6 }, () => phoneNumber("512"));
    await Promise.all(
      callers.flatMap((caller) => {
        const call = { CallSid: sid("CA"), From: caller, To: ACME_TRACKING };
        return [
          voice(twilioRequest("/api/twilio/voice", call)),
          voice(twilioRequest("/api/twilio/voice", call)),
          sms(twilioRequest("/api/twilio/sms", { MessageSid: sid("SM"), From: caller, To: ACME_TRACKING, Body: "Call me back", NumMedia: "0" })),
        ];
      }),
    );
    await settleDeferredWork();

    const db = await getDatabase();
    const leads = await db.query<{ id: string }>("select id from public.leads where caller = any($1::text[])", [callers]);
    expect(leads).toHaveLength(callers.length);
    expect(pushedUrls()).toEqual(twiceEach(leads));
  });
});

describe("a new lead whose write commits after a push looked", () => {
  it("is pushed by the next look, once", async () => {
    const db = await getDatabase();
    const config = (await readTrackingNumberSnapshot(db, ACME_TRACKING))!;
    const caller = phoneNumber("512");
    const text = inboundSmsSchema.parse({ MessageSid: sid("SM"), From: caller, To: ACME_TRACKING, Body: "Hello?" });

    await db.transaction(async (tx) => {
      await recordInboundSms(tx, config, text, undefined, new Date());
      await notifyNewLeads();
      expect(pushService.attempts).toEqual([]);
    });
    await notifyNewLeads();
    await notifyNewLeads();

    const leads = await db.query<{ id: string }>("select id from public.leads where caller = $1", [caller]);
    expect(pushedUrls()).toEqual(twiceEach(leads));
  });
});

describe("two pushes running at once, as on two instances", () => {
  it("push each waiting lead once, more leads than one run takes at a time", async () => {
    const db = await getDatabase();
    const config = (await readTrackingNumberSnapshot(db, ACME_TRACKING))!;
    const callers = Array.from({ length: 150 }, () => phoneNumber("512"));
    // The voice webhook's write, without its deferred work: the leads wait with their alerts.
    await recordInboundCalls(
      db,
      callers.map((caller) => ({ config, call: { CallSid: sid("CA"), From: caller, To: ACME_TRACKING } })),
    );
    expect(pushService.attempts).toEqual([]);

    const runs = await Promise.all([notifyNewLeads(), notifyNewLeads()]);

    const leads = await db.query<{ id: string }>("select id from public.leads where caller = any($1::text[])", [callers]);
    expect(leads).toHaveLength(callers.length);
    expect(pushedUrls()).toEqual(twiceEach(leads));
    expect(runs[0].pushed + runs[1].pushed).toBe(callers.length);
    expect(await db.query("select 1 from internal.push_alerts")).toEqual([]);
  });
});
