// A client with a pool of tracking numbers and a Source number, and the visits and leases the
// tracking endpoints would have written, put straight into the tables with the server's role (the
// columns are the tracking migration's). Calls and texts then go through the real loggers, so a
// scenario reads as who held which number when, and what each call, text and lead carries.
import { randomBytes } from "node:crypto";
import type { TouchColumn } from "@/lib/attribution/touch-at-ring";
import { recordInboundCalls } from "@/lib/calls/record-inbound-call";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import type { Database, Queryable } from "@/lib/db/database";
import { recordInboundSms } from "@/lib/sms/record-inbound-sms";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

/** A visit's touch as the tracking endpoints store it. */
export type VisitTouch = {
  source: string;
  medium?: string;
  campaign?: string;
  term?: string;
  clickId?: string;
  clickIdType?: "gclid" | "gbraid" | "wbraid" | "fbclid" | "msclkid";
  landingPage?: string;
  referrer?: string;
};

/** What a call, text or lead carries: its visit and that visit's touch, or only a Source. */
export type CarriedTouch = Record<TouchColumn, string | null>;

export const GOOGLE_ADS_CLICK: VisitTouch = {
  source: "Google Ads",
  medium: "cpc",
  campaign: "spring-sale",
  term: "emergency plumber",
  clickId: "Cj0KCQiA-spring-click",
  clickIdType: "gclid",
  landingPage: "https://acmeplumbing.example/emergency?utm_source=google&utm_medium=cpc&utm_campaign=spring-sale&gclid=Cj0KCQiA-spring-click",
  referrer: "https://www.google.com/",
};

export const BRAND_CLICK: VisitTouch = {
  source: "Google Ads",
  medium: "cpc",
  campaign: "brand",
  clickId: "0AAAAA-brand-click",
  clickIdType: "gbraid",
  landingPage: "https://acmeplumbing.example/?gbraid=0AAAAA-brand-click",
};

/** The carried touch of a visit's call: the visit and every field of its touch. */
export function carried(visitId: string, touch: VisitTouch): CarriedTouch {
  return {
    visit_id: visitId,
    source: touch.source,
    medium: touch.medium ?? null,
    campaign: touch.campaign ?? null,
    term: touch.term ?? null,
    click_id: touch.clickId ?? null,
    click_id_type: touch.clickIdType ?? null,
    landing_page: touch.landingPage ?? null,
    referrer: touch.referrer ?? null,
  };
}

/** What a contact with no visit carries: its number's Source, nothing else. */
export function sourceOnly(source: string | null): CarriedTouch {
  return { visit_id: null, source, medium: null, campaign: null, term: null, click_id: null, click_id_type: null, landing_page: null, referrer: null };
}

const TOUCH_SELECT = "visit_id::text as visit_id, source, medium, campaign, term, click_id, click_id_type, landing_page, referrer";

export const at = (hhmm: string, day = "2026-03-02") => new Date(`${day}T${hhmm}:00Z`);
export const minutesFrom = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

export type AttributionLab = {
  clientId: string;
  /** Three Pool rows with Source "Google Ads". */
  pool: TrackingNumberConfig[];
  /** A Source row, "Website". */
  website: TrackingNumberConfig;
  addVisit(touch: VisitTouch, clientId?: string): Promise<string>;
  /** A lease the visit held on `number` over [from, until), as the session and heartbeat leave it. */
  lease(number: TrackingNumberConfig, visitId: string, from: Date, until: Date, clientId?: string): Promise<void>;
  /** A call logged by its voice webhook (or a later callback) with this start time; returns its CallSid. */
  call(number: TrackingNumberConfig, caller: string, startedAt: Date, callSid?: string): Promise<string>;
  /** A lead's text arriving at `receivedAt`; returns its MessageSid. */
  text(number: TrackingNumberConfig, caller: string, receivedAt: Date): Promise<string>;
  callTouch(callSid: string): Promise<CarriedTouch>;
  textTouch(messageSid: string): Promise<CarriedTouch>;
  leadOf(caller: string): Promise<CarriedTouch & { first_contact_at: Date }>;
};

export async function openAttributionLab(db: Database, options: { clientName?: string; textBackEnabled?: boolean } = {}): Promise<AttributionLab> {
  const clientId = `attribution-${randomBytes(4).toString("hex")}`;
  const clientName = options.clientName ?? `Attribution Lab ${clientId.slice(-8)}`;
  const common = { clientId, clientName, textBackEnabled: options.textBackEnabled ?? false };
  const pool: TrackingNumberConfig[] = [];
  for (let i = 0; i < 3; i++) pool.push(await addTrackingNumber({ ...common, numberType: "Pool", source: "Google Ads" }));
  const website = await addTrackingNumber({ ...common, numberType: "Source", source: "Website", primaryNumber: pool[0].primaryNumber });

  async function addVisit(touch: VisitTouch, visitClientId = clientId): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `insert into public.visits (client_id, visitor_id, source, medium, campaign, term, click_id, click_id_type, landing_page, referrer, touched_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now()) returning id`,
      [
        visitClientId,
        randomBytes(16).toString("base64url"),
        touch.source,
        touch.medium ?? null,
        touch.campaign ?? null,
        touch.term ?? null,
        touch.clickId ?? null,
        touch.clickIdType ?? null,
        touch.landingPage ?? null,
        touch.referrer ?? null,
      ],
    );
    return id;
  }

  async function lease(number: TrackingNumberConfig, visitId: string, from: Date, until: Date, leaseClientId = clientId): Promise<void> {
    await db.query(
      `insert into public.visit_leases (tracking_number, client_id, visit_id, source, leased_at, expires_at) values ($1, $2, $3, $4, $5, $6)`,
      [number.trackingNumber, leaseClientId, visitId, number.source ?? "Website", from, until],
    );
  }

  async function call(number: TrackingNumberConfig, caller: string, startedAt: Date, callSid = sid("CA")): Promise<string> {
    await recordInboundCalls(db, [{ config: number, call: { CallSid: callSid, From: caller, To: number.trackingNumber }, startedAt }]);
    return callSid;
  }

  async function text(number: TrackingNumberConfig, caller: string, receivedAt: Date): Promise<string> {
    const messageSid = sid("SM");
    const sms = { MessageSid: messageSid, From: caller, To: number.trackingNumber, Body: "Hi, do you do weekends?", NumMedia: 0, NumSegments: 1, media: [] };
    await db.transaction((tx) => recordInboundSms(tx, number, sms, undefined, receivedAt));
    return messageSid;
  }

  const one = async <T>(tx: Queryable, sql: string, params: unknown[]): Promise<T> => {
    const rows = await tx.query(sql, params);
    if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
    return rows[0] as T;
  };

  return {
    clientId,
    pool,
    website,
    addVisit,
    lease,
    call,
    text,
    callTouch: (callSid) => one(db, `select ${TOUCH_SELECT} from public.calls where call_sid = $1`, [callSid]),
    textTouch: (messageSid) => one(db, `select ${TOUCH_SELECT} from public.messages where message_sid = $1`, [messageSid]),
    leadOf: (caller) => one(db, `select ${TOUCH_SELECT}, first_contact_at from public.leads where client_id = $1 and caller = $2`, [clientId, caller]),
  };
}

export const newCaller = () => phoneNumber("737");
