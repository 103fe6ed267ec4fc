// The race that matters, on PostgreSQL with real concurrent transactions: a call is logged after
// the webhook has answered, while the number it rang changes hands or its holder's heartbeat
// lands. Attribution is by the time the call began, so whichever commits first, the call belongs
// to the visit that held the number then. And two calls of one caller from two visits, logged at
// once, leave the lead with the earlier call's touch whichever commits first.
import { beforeAll, describe, expect, it } from "vitest";
import { recordInboundCalls, type RoutedCall } from "@/lib/calls/record-inbound-call";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import type { Database, Queryable } from "@/lib/db/database";
import { getDatabase } from "@/lib/db/get-database";
import { sid } from "../support/twilio-webhook";
import { BRAND_CLICK, carried, GOOGLE_ADS_CLICK, newCaller, openAttributionLab, type AttributionLab, type VisitTouch } from "./attribution-lab";

let db: Database;
let lab: AttributionLab;
beforeAll(async () => {
  db = await getDatabase();
  lab = await openAttributionLab(db);
});

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

/** A transaction left open after `work`, committed when asked: the other side of a race. */
async function openTransaction(work: (tx: Queryable) => Promise<void>): Promise<{ commit: () => Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let worked!: () => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => ((worked = resolve), (failed = reject)));
  const done = db.transaction(async (tx) => {
    await work(tx).then(worked, failed);
    await gate;
  });
  await ready;
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

/** A visit holding `number` from `from` until `until`, in both lease tables, as a session leaves it. */
async function holdNumber(number: TrackingNumberConfig, touch: VisitTouch, from: Date, until: Date): Promise<string> {
  const visit = await lab.addVisit(touch);
  await db.query(
    `with lease as (
       insert into public.visit_leases (tracking_number, client_id, visit_id, source, leased_at, expires_at)
       values ($1, $2, $3, 'Google Ads', $4, $5) returning id
     )
     update public.number_leases n set visit_id = $3, lease_id = lease.id, leased_at = $4, expires_at = $5 from lease where n.tracking_number = $1`,
    [number.trackingNumber, lab.clientId, visit, from, until],
  );
  return visit;
}

/** Another visitor takes the number, as a session does: only once the last lease has expired. */
async function takeOver(tx: Queryable, number: TrackingNumberConfig, visit: string): Promise<void> {
  const taken = await tx.query(
    `update public.number_leases set visit_id = $2, leased_at = now(), expires_at = now() + interval '30 minutes'
      where tracking_number = $1 and expires_at <= now() returning tracking_number`,
    [number.trackingNumber, visit],
  );
  expect(taken).toHaveLength(1);
  await tx.query(
    `with lease as (
       insert into public.visit_leases (tracking_number, client_id, visit_id, source, leased_at, expires_at)
       values ($1, $2, $3, 'Google Ads', now(), now() + interval '30 minutes') returning id
     )
     update public.number_leases n set lease_id = lease.id from lease where n.tracking_number = $1`,
    [number.trackingNumber, lab.clientId, visit],
  );
}

/** The holder's page is still open: its lease moves on, as a heartbeat does. */
async function heartbeat(tx: Queryable, number: TrackingNumberConfig, visit: string): Promise<void> {
  const [kept] = await tx.query<{ lease_id: string }>(
    `update public.number_leases set expires_at = now() + interval '30 minutes'
      where tracking_number = $1 and visit_id = $2 and expires_at > now() returning lease_id`,
    [number.trackingNumber, visit],
  );
  expect(kept).toBeDefined();
  await tx.query("update public.visit_leases set expires_at = now() + interval '30 minutes' where id = $1", [kept.lease_id]);
}

const routed = (number: TrackingNumberConfig, caller: string, startedAt: Date): RoutedCall => ({
  config: number,
  call: { CallSid: sid("CA"), From: caller, To: number.trackingNumber },
  startedAt,
});

/** The other transaction of a race left open while the call is logged, or committed before it. */
async function logCallAround(other: (tx: Queryable) => Promise<void>, commitsFirst: boolean, call: RoutedCall): Promise<void> {
  const open = await openTransaction(other);
  if (commitsFirst) await open.commit();
  await recordInboundCalls(db, [call]);
  if (!commitsFirst) await open.commit();
}

describe("a call logged while its number changes hands", () => {
  for (const commitsFirst of [false, true]) {
    it(`belongs to the visit that held the number when it rang, the new lease committing ${commitsFirst ? "before" : "after"} the call is logged`, async () => {
      const [number] = lab.pool;
      // The holder's lease ended a second ago; the call rang a minute ago, while it held the number.
      const holder = await holdNumber(number, GOOGLE_ADS_CLICK, secondsAgo(20 * 60), secondsAgo(1));
      const newcomer = await lab.addVisit(BRAND_CLICK);
      const call = routed(number, newCaller(), secondsAgo(60));

      await logCallAround((tx) => takeOver(tx, number, newcomer), commitsFirst, call);

      expect(await lab.callTouch(call.call.CallSid)).toEqual(carried(holder, GOOGLE_ADS_CLICK));
      expect(await lab.leadOf(call.call.From)).toMatchObject(carried(holder, GOOGLE_ADS_CLICK));
      const [lease] = await db.query<{ visit_id: string }>("select visit_id from public.number_leases where tracking_number = $1", [number.trackingNumber]);
      expect(lease.visit_id).toBe(newcomer);
    });
  }
});

describe("a call logged while its holder's heartbeat lands", () => {
  for (const commitsFirst of [false, true]) {
    it(`belongs to the holder, the heartbeat committing ${commitsFirst ? "before" : "after"} the call is logged`, async () => {
      const number = lab.pool[1];
      const holder = await holdNumber(number, GOOGLE_ADS_CLICK, secondsAgo(10 * 60), secondsAgo(-60));
      const call = routed(number, newCaller(), secondsAgo(30));

      await logCallAround((tx) => heartbeat(tx, number, holder), commitsFirst, call);

      expect(await lab.callTouch(call.call.CallSid)).toEqual(carried(holder, GOOGLE_ADS_CLICK));
    });
  }
});

describe("two calls of one caller from two visits, logged at once", () => {
  for (const first of ["the later call", "the earlier call"] as const) {
    it(`give the lead the earlier call's touch when ${first} commits first`, async () => {
      const [a, , c] = lab.pool;
      const spring = await holdNumber(a, GOOGLE_ADS_CLICK, secondsAgo(40 * 60), secondsAgo(20 * 60));
      const brand = await holdNumber(c, BRAND_CLICK, secondsAgo(10 * 60), secondsAgo(-20 * 60));
      const caller = newCaller();
      const earlier = routed(a, caller, secondsAgo(30 * 60));
      const later = routed(c, caller, secondsAgo(5 * 60));
      const [committedFirst, waiting] = first === "the later call" ? [later, earlier] : [earlier, later];

      const open = await openTransaction((tx) => recordInboundCalls(tx, [committedFirst]));
      // The other call's write reaches the same new lead and waits for the first to commit.
      const second = recordInboundCalls(db, [waiting]);
      await waitForLockWait();
      await open.commit();
      await second;

      expect(await lab.callTouch(earlier.call.CallSid)).toEqual(carried(spring, GOOGLE_ADS_CLICK));
      expect(await lab.callTouch(later.call.CallSid)).toEqual(carried(brand, BRAND_CLICK));
      expect(await lab.leadOf(caller)).toEqual({ ...carried(spring, GOOGLE_ADS_CLICK), first_contact_at: earlier.startedAt });
    });
  }
});

/** Until a statement of this database waits on a lock another transaction holds. */
async function waitForLockWait(): Promise<void> {
  for (;;) {
    const [waiting] = await db.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if (waiting.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
