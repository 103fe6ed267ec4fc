import { beforeEach, describe, expect, it } from "vitest";
import { lookupTrackingNumber } from "@/lib/config/lookup-tracking-number";
import { configCache } from "@/lib/config/config-cache";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { getDatabase } from "@/lib/db/get-database";
import { pauseBase } from "@/lib/airtable/airtable-pace";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";

const { airtable } = useRemoteServices();
const ALL_FIELDS = Object.values(F);

beforeEach(async () => {
  airtable.defineTable(CONFIG_TABLE, ALL_FIELDS);
  const db = await getDatabase();
  await db.query("delete from internal.airtable_pace");
});

const activeRow = (trackingNumber: string, clientId: string) =>
  airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: trackingNumber, [F.clientId]: clientId, [F.primaryNumber]: "+15125550199", [F.active]: true });

describe("looking up a tracking number", () => {
  it("answers a number in the snapshot without asking Airtable", async () => {
    const config = await addTrackingNumber();
    expect(await lookupTrackingNumber(config.trackingNumber)).toMatchObject({ primaryNumber: config.primaryNumber });
    expect(airtable.requests).toEqual([]);
  });

  it("reads a new Airtable row through, hand-typed numbers and all, and keeps it in the snapshot", async () => {
    airtable.addRow(CONFIG_TABLE, {
      [F.trackingNumber]: "(512) 555-0134",
      [F.clientId]: "new-client",
      [F.clientName]: "New Client",
      [F.primaryNumber]: "512.555.0199",
      [F.textBackEnabled]: true,
      [F.active]: true,
    });
    const config = await lookupTrackingNumber("+15125550134");

    expect(config).toMatchObject({ trackingNumber: "+15125550134", clientId: "new-client", primaryNumber: "+15125550199", smsForwardNumber: "+15125550199" });
    const db = await getDatabase();
    expect(await db.query("select client_id from public.tracking_numbers where phone_number = '+15125550134'")).toEqual([{ client_id: "new-client" }]);
    expect(airtable.requests).toHaveLength(1);
  });

  it("does not route a row whose Active box is unticked", async () => {
    airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: "+15125550135", [F.clientId]: "off", [F.primaryNumber]: "+15125550199", [F.active]: false });
    expect(await lookupTrackingNumber("+15125550135")).toBeUndefined();
  });

  it("routes every row of a base that has no Active column", async () => {
    airtable.defineTable(CONFIG_TABLE, ALL_FIELDS.filter((field) => field !== F.active));
    airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: "+15125550136", [F.clientId]: "no-active", [F.primaryNumber]: "+15125550199" });
    expect(await lookupTrackingNumber("+15125550136")).toMatchObject({ clientId: "no-active" });
  });

  it.each(["x' , TRUE(), '", "+1512555013') , TRUE(), ('", "+15125550134\\", "', ''))", "OR(1)"])(
    "never lets a hostile number (%s) reach Airtable or match a row",
    async (hostile) => {
      airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: "+15125550134", [F.clientId]: "victim", [F.primaryNumber]: "+15125550199", [F.active]: true });
      expect(await lookupTrackingNumber(hostile)).toBeUndefined();
      expect(airtable.requests).toEqual([]);
    },
  );

  it("treats a number that is nowhere as unknown", async () => {
    expect(await lookupTrackingNumber("+15125550137")).toBeUndefined();
  });

  it("treats a number as unknown, quickly, when Airtable is down and the number is in neither memory nor snapshot", async () => {
    airtable.goDown(503);
    expect(await lookupTrackingNumber("+15125550138")).toBeUndefined();
  });

  it("gives up on a hanging Airtable after its 2 s deadline", async () => {
    airtable.hang();
    const started = Date.now();
    expect(await lookupTrackingNumber("+15125550139")).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("sees a snapshot change once the memory entry has expired", async () => {
    const config = await addTrackingNumber();
    await lookupTrackingNumber(config.trackingNumber);
    await addTrackingNumber({ ...config, primaryNumber: "+12145550100" });
    configCache.expire(config.trackingNumber);
    expect(await lookupTrackingNumber(config.trackingNumber)).toMatchObject({ primaryNumber: "+12145550100" });
  });

  it("does not route a row read through that forwards to its own or a known tracking number, nor keep it", async () => {
    const known = await addTrackingNumber();
    const [callsItself, textsKnown] = [phoneNumber("512"), phoneNumber("512")];
    airtable.addRow(CONFIG_TABLE, { [F.trackingNumber]: callsItself, [F.clientId]: "loop", [F.primaryNumber]: callsItself, [F.active]: true });
    airtable.addRow(CONFIG_TABLE, {
      [F.trackingNumber]: textsKnown,
      [F.clientId]: "loop",
      [F.primaryNumber]: "+12145550100",
      [F.smsForwardNumber]: known.trackingNumber,
      [F.active]: true,
    });

    expect(await lookupTrackingNumber(callsItself)).toBeUndefined();
    expect(await lookupTrackingNumber(textsKnown)).toBeUndefined();
    const db = await getDatabase();
    expect(await db.query("select phone_number from public.tracking_numbers where phone_number = any($1)", [[callsItself, textsKnown]])).toEqual([]);
  });

  it("routes a number whose row was deleted and then added back, on the very next call", async () => {
    const config = await addTrackingNumber({ active: false });
    activeRow(config.trackingNumber, "came-back");
    expect(await lookupTrackingNumber(config.trackingNumber)).toMatchObject({ clientId: "came-back" });
  });

  it("asks Airtable about a number that stays inactive at most once while memory holds it", async () => {
    const config = await addTrackingNumber({ active: false });
    expect(await lookupTrackingNumber(config.trackingNumber)).toBeUndefined();
    expect(await lookupTrackingNumber(config.trackingNumber)).toBeUndefined();
    expect(airtable.requests).toHaveLength(1);
  });

  it("sends no read-through to a paused base, and answers at once", async () => {
    const db = await getDatabase();
    const trackingNumber = phoneNumber("512");
    activeRow(trackingNumber, "paused-base");
    await lookupTrackingNumber(phoneNumber("512"));
    await pauseBase(db, process.env.AIRTABLE_BASE_ID!);
    const started = Date.now();
    expect(await lookupTrackingNumber(trackingNumber)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
    expect(airtable.requests).toHaveLength(1);
  });

  it("reads a new number's row once for ten calls to it arriving together, and routes all ten", async () => {
    const trackingNumber = phoneNumber("512");
    activeRow(trackingNumber, "ten-at-once");
    const configs = await Promise.all(Array.from({ length: 10 }, () => lookupTrackingNumber(trackingNumber)));

    for (const config of configs) expect(config).toMatchObject({ clientId: "ten-at-once" });
    expect(airtable.requests).toHaveLength(1);
  });

  it("paces read-throughs with the outbox: ten new numbers called at once never trip the rate limit, and the first four route", async () => {
    const numbers = Array.from({ length: 10 }, () => phoneNumber("512"));
    numbers.forEach((trackingNumber, n) => activeRow(trackingNumber, `burst-${n}`));
    const configs = await Promise.all(numbers.map((trackingNumber) => lookupTrackingNumber(trackingNumber)));

    const routed = configs.filter((config) => config !== undefined);
    expect(routed.length).toBeGreaterThanOrEqual(4);
    for (const config of routed) expect(config.clientId).toBe(`burst-${numbers.indexOf(config.trackingNumber)}`);
    // A number that could not get a slot within the budget was never asked about.
    expect(airtable.requests).toHaveLength(routed.length);
    expect(airtable.count429()).toBe(0);
    expect(airtable.maxRequestsInAnyRollingSecond()).toBeLessThanOrEqual(4);
  });
});
