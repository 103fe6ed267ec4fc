// Which visit a call or text to a tracking number belongs to, decided by time alone: the visit
// holding the pool number when the call rang or the text arrived, else its last holder within 30
// minutes, else nobody; a Source number gives its Source. The contact carries that visit's touch,
// and the lead keeps the touch of its first contact.
import { beforeAll, describe, expect, it } from "vitest";
import { recordInboundCalls } from "@/lib/calls/record-inbound-call";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import type { Database } from "@/lib/db/database";
import { getDatabase } from "@/lib/db/get-database";
import { sid } from "../support/twilio-webhook";
import { at, BRAND_CLICK, carried, GOOGLE_ADS_CLICK, newCaller, openAttributionLab, sourceOnly, type AttributionLab, type CarriedTouch } from "./attribution-lab";

let db: Database;
beforeAll(async () => {
  db = await getDatabase();
});

type Contact = {
  kind: "call" | "text";
  log: (lab: AttributionLab, number: TrackingNumberConfig, caller: string, at: Date) => Promise<string>;
  touchOf: (lab: AttributionLab, sid: string) => Promise<CarriedTouch>;
};

const CONTACTS: Contact[] = [
  { kind: "call", log: (lab, number, caller, at) => lab.call(number, caller, at), touchOf: (lab, sid) => lab.callTouch(sid) },
  { kind: "text", log: (lab, number, caller, at) => lab.text(number, caller, at), touchOf: (lab, sid) => lab.textTouch(sid) },
];

/** Two visits from two ad clicks, each holding one of the first two pool numbers for half an hour. */
async function twoClicks(lab: AttributionLab, day: string, brandFrom: string) {
  const [first, second] = lab.pool;
  const spring = await lab.addVisit(GOOGLE_ADS_CLICK);
  const brand = await lab.addVisit(BRAND_CLICK);
  await lab.lease(first, spring, at("08:00", day), at("08:30", day));
  await lab.lease(second, brand, at(brandFrom, day), new Date(at(brandFrom, day).getTime() + 30 * 60_000));
  return { first, second, spring, brand };
}

describe.each(CONTACTS)("a $kind to a tracking number", ({ log, touchOf }) => {
  let lab: AttributionLab;
  beforeAll(async () => {
    lab = await openAttributionLab(db);
  });

  it("carries the touch of the visit holding the pool number at that moment, and so does its new lead", async () => {
    const [number] = lab.pool;
    const before = await lab.addVisit({ source: "Google Ads", medium: "cpc", campaign: "winter" });
    const holder = await lab.addVisit(GOOGLE_ADS_CLICK);
    await lab.lease(number, before, at("09:00"), at("09:40"));
    await lab.lease(number, holder, at("09:45"), at("10:35"));
    const caller = newCaller();

    const contact = await log(lab, number, caller, at("10:05"));

    expect(await touchOf(lab, contact)).toEqual(carried(holder, GOOGLE_ADS_CLICK));
    expect(await lab.leadOf(caller)).toEqual({ ...carried(holder, GOOGLE_ADS_CLICK), first_contact_at: at("10:05") });
  });

  it("goes to the last holder when the lease had ended less than 30 minutes before, not to the next one", async () => {
    const number = lab.pool[1];
    const last = await lab.addVisit(GOOGLE_ADS_CLICK);
    const next = await lab.addVisit(BRAND_CLICK);
    await lab.lease(number, last, at("11:00"), at("11:20"));
    await lab.lease(number, next, at("11:50"), at("12:30"));

    const justInside = await log(lab, number, newCaller(), at("11:49"));
    const afterNextLeased = await log(lab, number, newCaller(), at("11:51"));

    expect(await touchOf(lab, justInside)).toEqual(carried(last, GOOGLE_ADS_CLICK));
    expect(await touchOf(lab, afterNextLeased)).toEqual(carried(next, BRAND_CLICK));
  });

  it("goes to nobody 30 minutes or more after the last lease ended, keeping only the pool's Source", async () => {
    const number = lab.pool[2];
    const gone = await lab.addVisit(GOOGLE_ADS_CLICK);
    await lab.lease(number, gone, at("13:00"), at("13:20"));
    const caller = newCaller();

    // Exactly 30 minutes after the lease ended: out of reach.
    const contact = await log(lab, number, caller, at("13:50"));
    const neverLeased = await log(lab, number, newCaller(), at("12:00"));

    expect(await touchOf(lab, contact)).toEqual(sourceOnly("Google Ads"));
    expect(await touchOf(lab, neverLeased)).toEqual(sourceOnly("Google Ads"));
    expect(await lab.leadOf(caller)).toMatchObject(sourceOnly("Google Ads"));
  });

  it("ignores a lease another client held on the number before it changed hands", async () => {
    const [number] = lab.pool;
    const otherClient = await openAttributionLab(db);
    const stranger = await lab.addVisit(GOOGLE_ADS_CLICK, otherClient.clientId);
    await lab.lease(number, stranger, at("15:00"), at("15:30"), otherClient.clientId);

    const contact = await log(lab, number, newCaller(), at("15:10"));

    expect(await touchOf(lab, contact)).toEqual(sourceOnly("Google Ads"));
  });

  it("gets its row's Source and nothing else from a Source number", async () => {
    const caller = newCaller();
    const contact = await log(lab, lab.website, caller, at("10:05"));

    expect(await touchOf(lab, contact)).toEqual(sourceOnly("Website"));
    expect(await lab.leadOf(caller)).toMatchObject(sourceOnly("Website"));
  });

  it("leaves the lead's first touch alone when it comes later from another visit, and keeps its own", async () => {
    const { first, second, spring, brand } = await twoClicks(lab, "2026-03-03", "16:00");
    const caller = newCaller();

    await lab.call(first, caller, at("08:10", "2026-03-03"));
    const later = await log(lab, second, caller, at("16:10", "2026-03-03"));
    const fromTheSite = await log(lab, lab.website, caller, at("17:00", "2026-03-03"));

    expect(await touchOf(lab, later)).toEqual(carried(brand, BRAND_CLICK));
    expect(await touchOf(lab, fromTheSite)).toEqual(sourceOnly("Website"));
    expect(await lab.leadOf(caller)).toEqual({ ...carried(spring, GOOGLE_ADS_CLICK), first_contact_at: at("08:10", "2026-03-03") });
  });

  it("gives the lead its touch when it is earlier than the lead's first contact but logged late", async () => {
    const { first, second, spring, brand } = await twoClicks(lab, "2026-03-04", "16:00");
    const caller = newCaller();

    await lab.call(second, caller, at("16:10", "2026-03-04"));
    expect(await lab.leadOf(caller)).toMatchObject(carried(brand, BRAND_CLICK));
    const earlier = await log(lab, first, caller, at("08:10", "2026-03-04"));

    expect(await touchOf(lab, earlier)).toEqual(carried(spring, GOOGLE_ADS_CLICK));
    expect(await lab.leadOf(caller)).toEqual({ ...carried(spring, GOOGLE_ADS_CLICK), first_contact_at: at("08:10", "2026-03-04") });
  });
});

describe("a call logged late or out of order", () => {
  let lab: AttributionLab;
  beforeAll(async () => {
    lab = await openAttributionLab(db);
  });

  it("is attributed again at its real start when a later callback logged it first", async () => {
    const [number] = lab.pool;
    const holder = await lab.addVisit(GOOGLE_ADS_CLICK);
    const next = await lab.addVisit(BRAND_CLICK);
    await lab.lease(number, holder, at("09:00"), at("09:31"));
    await lab.lease(number, next, at("09:40"), at("10:30"));
    const caller = newCaller();
    const callSid = sid("CA");

    // The status callback, an hour after the call began, logs it first; then its voice webhook's write lands.
    await lab.call(number, caller, at("10:29"), callSid);
    expect(await lab.callTouch(callSid)).toEqual(carried(next, BRAND_CLICK));
    await lab.call(number, caller, at("09:30"), callSid);

    expect(await lab.callTouch(callSid)).toEqual(carried(holder, GOOGLE_ADS_CLICK));
    expect(await lab.leadOf(caller)).toEqual({ ...carried(holder, GOOGLE_ADS_CLICK), first_contact_at: at("09:30") });
  });

  it("attributes each call of a batch by its own number and time, in one write", async () => {
    const { first, second, spring, brand } = await twoClicks(lab, "2026-03-06", "08:00");
    const numbers = [first, second, lab.pool[2], lab.website];
    const batch = numbers.map((number) => ({
      config: number,
      call: { CallSid: sid("CA"), From: newCaller(), To: number.trackingNumber },
      startedAt: at("08:10", "2026-03-06"),
    }));

    await recordInboundCalls(db, batch);

    expect(await Promise.all(batch.map(({ call }) => lab.callTouch(call.CallSid)))).toEqual([
      carried(spring, GOOGLE_ADS_CLICK),
      carried(brand, BRAND_CLICK),
      sourceOnly("Google Ads"),
      sourceOnly("Website"),
    ]);
  });
});
