// A new lead reaches the phones of everyone who may see it: the alert written with the lead is sent
// by the webhook's deferred work, or by the follow-ups cron when that never ran, as one Web Push
// per subscribed browser through the real web-push package, to a push-service stand-in (behind
// msw) that accepts only a valid VAPID signature and a payload the browser's keys decrypt.
import { http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as followUps } from "@/app/api/cron/follow-ups/route";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { readTrackingNumberSnapshot } from "@/lib/config/tracking-number-snapshot";
import { getDatabase } from "@/lib/db/get-database";
import { formatPhoneForDisplay } from "@/lib/phone/format-phone";
import { removePushSubscription } from "@/lib/push/remove-push-subscription";
import { savePushSubscription } from "@/lib/push/save-push-subscription";
import { inboundSmsSchema } from "@/lib/sms/inbound-sms";
import { recordInboundSms } from "@/lib/sms/record-inbound-sms";
import { settleDeferredWork } from "../support/deferred-work";
import { ACME_OFFICE, AGENCY_OWNER, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";
import { usePushService } from "./use-push-service";

const ACME_TRACKING = "+15125550100";
const env = process.env as Record<string, string>;
// Twilio for the status callback's decision on a call it logged, which reads the call log and texts.
const twilioApi = twilioApiStandIn({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN });
const { pushService, vapidSubject, endpointOf, pushedUrls, turnPushOff, turnPushOn } = usePushService(
  [AGENCY_OWNER, ACME_OFFICE, BRIGHT_FRONT_DESK],
  [http.all(`${env.TWILIO_API_URL}/*`, ({ request }) => twilioApi.handle(request))],
);

afterEach(() => {
  twilioApi.reset();
  vi.unstubAllEnvs();
});

async function call(from: string, callSid = sid("CA")): Promise<string> {
  const response = await voice(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: from, To: ACME_TRACKING }));
  expect(await response.text()).toContain("<Dial");
  await settleDeferredWork();
  return callSid;
}

async function text(from: string, body: string): Promise<void> {
  const response = await sms(twilioRequest("/api/twilio/sms", { MessageSid: sid("SM"), From: from, To: ACME_TRACKING, Body: body, NumMedia: "0" }));
  expect(response.status).toBe(200);
  await settleDeferredWork();
}

// What the SMS webhook writes, and nothing it defers: as if its process died once the write committed.
async function textWhoseWebhookDied(from: string, body: string): Promise<void> {
  const db = await getDatabase();
  const config = (await readTrackingNumberSnapshot(db, ACME_TRACKING))!;
  const text = inboundSmsSchema.parse({ MessageSid: sid("SM"), From: from, To: ACME_TRACKING, Body: body });
  await db.transaction((tx) => recordInboundSms(tx, config, text, undefined, new Date()));
}

async function runFollowUpsCron(): Promise<unknown> {
  vi.stubEnv("CRON_SECRET", "cron-secret-123");
  const response = await followUps(new Request("http://10.0.0.7:8080/api/cron/follow-ups", { headers: { authorization: "Bearer cron-secret-123" } }));
  expect(response.status).toBe(200);
  return response.json();
}

async function leadOf(caller: string): Promise<string> {
  const db = await getDatabase();
  const [lead] = await db.query<{ id: string }>("select id from public.leads where caller = $1", [caller]);
  return lead.id;
}

async function makeAlertOlderThanAnHour(caller: string): Promise<void> {
  const db = await getDatabase();
  await db.query("update internal.push_alerts set created_at = now() - interval '61 minutes' where lead_id = $1", [await leadOf(caller)]);
}

async function waitingAlerts(callers: string[]): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.query<{ caller: string }>(
    "select l.caller from internal.push_alerts a join public.leads l on l.id = a.lead_id where l.caller = any($1::text[]) order by l.caller",
    [callers],
  );
  return rows.map((row) => row.caller);
}


describe("a new lead", () => {
  it("from a first call is pushed once to each browser of agency staff and of that client's users, not to other clients", async () => {
    const caller = phoneNumber("512");
    await call(caller);

    const expected = {
      payload: { title: "New lead · Acme Plumbing", body: `${formatPhoneForDisplay(caller)} called`, url: `/inbox/${await leadOf(caller)}` },
      ttl: 3600,
      urgency: "high",
      vapidSubject,
    };
    expect(pushService.delivered).toHaveLength(2);
    expect(pushService.delivered).toEqual(
      expect.arrayContaining([
        { endpoint: endpointOf(AGENCY_OWNER), ...expected },
        { endpoint: endpointOf(ACME_OFFICE), ...expected },
      ]),
    );
    expect(pushService.attempts).not.toContain(endpointOf(BRIGHT_FRONT_DESK));
  });

  it("from a first text is pushed with what the lead wrote", async () => {
    const caller = phoneNumber("737");
    await text(caller, "Can you come today?\nThe sink is leaking.");

    expect(pushService.delivered.map((push) => push.payload)).toEqual([
      { title: "New lead · Acme Plumbing", body: `${formatPhoneForDisplay(caller)} texted: Can you come today? The sink is leaking.`, url: `/inbox/${await leadOf(caller)}` },
      { title: "New lead · Acme Plumbing", body: `${formatPhoneForDisplay(caller)} texted: Can you come today? The sink is leaking.`, url: `/inbox/${await leadOf(caller)}` },
    ]);
  });

  it("is pushed once: a repeated webhook, a second call and a text from the same caller push nothing more", async () => {
    const caller = phoneNumber("512");
    const callSid = await call(caller);
    expect(pushService.delivered).toHaveLength(2);
    pushService.reset();

    await call(caller, callSid);
    await call(caller);
    await text(caller, "Just called you");

    expect(pushService.attempts).toEqual([]);
  });

  it("from a call its status callback logged first (before the voice webhook's write) is pushed as a call", async () => {
    const call = { CallSid: sid("CA"), From: phoneNumber("512"), To: ACME_TRACKING };
    const response = await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "12" }));
    expect(response.status).toBe(200);
    await settleDeferredWork();

    const expected = { title: "New lead · Acme Plumbing", body: `${formatPhoneForDisplay(call.From)} called`, url: `/inbox/${await leadOf(call.From)}` };
    expect(pushService.delivered.map((push) => push.payload)).toEqual([expected, expected]);
  });

  it("whose webhook's process died after the write is pushed by the follow-ups cron, once, with what the lead wrote", async () => {
    const caller = phoneNumber("737");
    await textWhoseWebhookDied(caller, "Need a quote for a new water heater");
    expect(pushService.attempts).toEqual([]);

    expect(await runFollowUpsCron()).toMatchObject({ newLeadPushes: { pushed: 1, dropped: 0 } });
    const expected = {
      title: "New lead · Acme Plumbing",
      body: `${formatPhoneForDisplay(caller)} texted: Need a quote for a new water heater`,
      url: `/inbox/${await leadOf(caller)}`,
    };
    expect(pushService.delivered.map((push) => push.endpoint).sort()).toEqual([endpointOf(AGENCY_OWNER), endpointOf(ACME_OFFICE)].sort());
    expect(pushService.delivered.map((push) => push.payload)).toEqual([expected, expected]);

    pushService.reset();
    expect(await runFollowUpsCron()).toMatchObject({ newLeadPushes: { pushed: 0, dropped: 0 } });
    expect(pushService.attempts).toEqual([]);
  });

  it("not pushed within the hour is dropped, not pushed, by the next webhook's push", async () => {
    const stale = phoneNumber("512");
    await textWhoseWebhookDied(stale, "Anyone there?");
    await makeAlertOlderThanAnHour(stale);
    const fresh = phoneNumber("512");
    await call(fresh);

    expect(pushedUrls()).toEqual([`/inbox/${await leadOf(fresh)}`, `/inbox/${await leadOf(fresh)}`]);
    expect(await waitingAlerts([stale, fresh])).toEqual([]);
  });

  it("still gets its webhook answered and logged when the push service is down", async () => {
    pushService.fail();
    const caller = phoneNumber("512");
    await call(caller);
    expect(await leadOf(caller)).toEqual(expect.any(String));
    expect(pushService.delivered).toEqual([]);
  });
});

describe("push subscriptions", () => {
  it("one the push service says is gone (410) is deleted, and not tried again", async () => {
    const db = await getDatabase();
    const browser = pushService.subscribe();
    await savePushSubscription(db, ACME_OFFICE, browser);
    pushService.unsubscribe(browser.endpoint);

    await call(phoneNumber("512"));
    expect(await db.query("select 1 from public.push_subscriptions where endpoint = $1", [browser.endpoint])).toEqual([]);
    expect(pushService.delivered.map((push) => push.endpoint).sort()).toEqual([endpointOf(AGENCY_OWNER), endpointOf(ACME_OFFICE)].sort());

    pushService.reset();
    await call(phoneNumber("512"));
    expect(pushService.attempts).not.toContain(browser.endpoint);
  });

  it("a browser another user subscribed becomes the signed-in user's, and that user's leads come to it", async () => {
    const db = await getDatabase();
    const shared = pushService.subscribe();
    await savePushSubscription(db, BRIGHT_FRONT_DESK, shared);
    await savePushSubscription(db, ACME_OFFICE, shared);

    expect(await db.query("select user_id from public.push_subscriptions where endpoint = $1", [shared.endpoint])).toEqual([
      { user_id: ACME_OFFICE.userId },
    ]);
    await call(phoneNumber("512"));
    expect(pushService.delivered.map((push) => push.endpoint)).toContain(shared.endpoint);
    await removePushSubscription(db, ACME_OFFICE, shared.endpoint);
  });

  it("a user cannot remove another user's subscription", async () => {
    const db = await getDatabase();
    await removePushSubscription(db, BRIGHT_FRONT_DESK, endpointOf(ACME_OFFICE));
    expect(await db.query("select user_id from public.push_subscriptions where endpoint = $1", [endpointOf(ACME_OFFICE)])).toEqual([
      { user_id: ACME_OFFICE.userId },
    ]);
  });

  it("are pushed to a few at a time, however many browsers a lead reaches", async () => {
    const db = await getDatabase();
    const more = [AGENCY_OWNER, ACME_OFFICE].flatMap((viewer) => Array.from({ length: 9 }, () => ({ viewer, browser: pushService.subscribe() })));
    for (const { viewer, browser } of more) await savePushSubscription(db, viewer, browser);

    await call(phoneNumber("512"));

    expect(pushService.delivered).toHaveLength(20);
    expect(pushService.mostAtOnce()).toBe(8);
    for (const { viewer, browser } of more) await removePushSubscription(db, viewer, browser.endpoint);
  });

  it("without VAPID keys nothing is pushed; the cron still drops alerts older than an hour, and pushes the newer once keys are set", async () => {
    turnPushOff();
    const [old, recent] = [phoneNumber("512"), phoneNumber("512")].sort();
    await call(old);
    await call(recent);
    expect(pushService.attempts).toEqual([]);
    expect(await waitingAlerts([old, recent])).toEqual([old, recent]);

    await makeAlertOlderThanAnHour(old);
    expect(await runFollowUpsCron()).toMatchObject({ newLeadPushes: { pushed: 0, dropped: 0 }, stalePushAlerts: 1 });
    expect(pushService.attempts).toEqual([]);
    expect(await waitingAlerts([old, recent])).toEqual([recent]);

    turnPushOn();
    expect(await runFollowUpsCron()).toMatchObject({ newLeadPushes: { pushed: 1, dropped: 0 } });
    expect(pushedUrls()).toEqual([`/inbox/${await leadOf(recent)}`, `/inbox/${await leadOf(recent)}`]);
  });
});
