// The inbox's data layer as its users meet it, written once and run on the embedded database
// (inbox-data.test.ts) and on PostgreSQL (inbox-data.pg.test.ts): the thread list and its pages,
// filters and search, unread counts, a thread, the lead panel's changes, and the marker the open
// inbox polls. Every call goes through the viewer's claims, so RLS is part of what is tested.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import type { Viewer } from "@/lib/auth/viewer";
import type { Database } from "@/lib/db/database";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { withUserClaims } from "@/lib/db/with-user-claims";
import { serverEnv } from "@/lib/env";
import { listFilterChoices } from "@/lib/inbox/list-filter-choices";
import { listThreads, THREADS_PER_PAGE, type ThreadSummary } from "@/lib/inbox/list-threads";
import type { InboxFilters } from "@/lib/inbox/inbox-filters";
import { markThreadRead } from "@/lib/inbox/mark-thread-read";
import { readChangeMarker } from "@/lib/inbox/read-change-marker";
import { CANNOT_RECEIVE_REASON, OPTED_OUT_REASON, readThread, WITHHELD_REASON } from "@/lib/inbox/read-thread";
import { updateLead } from "@/lib/inbox/update-lead";
import { pullPipelineStatuses } from "@/lib/leads/pull-pipeline-statuses";
import { claimDueJobs, markDelivered, releaseLeads } from "@/lib/outbox/outbox-jobs";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { useRemoteServices } from "../support/remote-services";
import { ACME_OFFICE, AGENCY_OWNER, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { placeCall, sendText } from "../support/simulated-contacts";
import { phoneNumber } from "../support/tracking-numbers";
import { minutesAgo, openLab, type Lab } from "./inbox-lab";

const SEEDED = {
  acmeLead: "10000000-0000-4000-a000-000000000001",
  brightLead: "10000000-0000-4000-a000-000000000003",
  brightCaller: "(737) 555-0145",
};

/** "+17375550123" as the inbox shows it. */
const shown = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);
const DAY = 24 * 60;

export function describeInboxDataScenarios(): void {
  let db: Database;
  const { airtable } = useRemoteServices();

  beforeAll(async () => {
    db = await getDatabase();
    await seedDatabase(db, { onlyIfEmpty: true });
  });

  afterAll(async () => {
    await closeDatabase();
  });

  /** Every thread the viewer's inbox lists for these filters, page after page. */
  async function allThreads(viewer: Viewer, filters: InboxFilters = {}): Promise<ThreadSummary[]> {
    const threads: ThreadSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await listThreads(db, viewer, filters, cursor);
      threads.push(...page.threads);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return threads;
  }

  describe("the thread list", () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await openLab(db);
    });

    it("lists one thread per lead, newest activity first, 50 a page, none repeated or skipped, ties included", async () => {
      const sameMoment = minutesAgo(45);
      for (let i = 0; i < 120; i++) {
        // Twenty leads share one moment (a burst of calls): the cursor must still page through them.
        const at = i >= 40 && i < 60 ? sameMoment : minutesAgo(i + 1);
        const contacts = [
          { kind: "call" as const, at: new Date(at.getTime() - 60_000), outcome: "missed" as const },
          { kind: "text" as const, at, author: "lead" as const, body: `Lead ${i}` },
        ];
        await lab.addLead({ contacts });
      }
      const expected = await db.query<{ id: string }>("select id from public.leads where client_id = $1 order by last_contact_at desc, id desc", [lab.clientId]);

      const first = await listThreads(db, lab.user, {});
      const second = await listThreads(db, lab.user, {}, first.nextCursor!);
      // A call from a new lead between two pages goes to the top, and moves nobody across the cut.
      const newcomer = await lab.addLead({ contacts: [{ kind: "call", at: new Date(), outcome: "answered" }] });
      const third = await listThreads(db, lab.user, {}, second.nextCursor!);

      expect([first, second, third].map((page) => page.threads.length)).toEqual([THREADS_PER_PAGE, THREADS_PER_PAGE, 20]);
      expect(third.nextCursor).toBeNull();
      expect([...first.threads, ...second.threads, ...third.threads].map((thread) => thread.leadId)).toEqual(expected.map((row) => row.id));
      expect((await listThreads(db, lab.user, {})).threads[0].leadId).toBe(newcomer.id);
    });

    it("starts over from the top for a cursor that is not one it handed out", async () => {
      const top = await listThreads(db, lab.user, {});
      for (const forged of ["garbage", Buffer.from('["yesterday","x"]').toString("base64url")]) {
        expect((await listThreads(db, lab.user, {}, forged)).threads.map((t) => t.leadId)).toEqual(top.threads.map((t) => t.leadId));
      }
    });
  });

  describe("a thread in the list", () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await openLab(db);
    });

    it("shows the caller formatted, name, source, status, client, last activity and a one-line preview", async () => {
      const talked = await lab.addLead({
        name: "Dana Whitaker",
        status: "Contacted",
        source: "Website",
        contacts: [{ kind: "call", at: minutesAgo(10), outcome: "answered", talkSeconds: 184 }],
      });
      const voicemail = await lab.addLead({
        contacts: [
          { kind: "call", at: minutesAgo(21), outcome: "missed", voicemailSeconds: 21 },
          { kind: "text", at: minutesAgo(20), author: "auto", body: "Sorry we missed your call!" },
        ],
      });
      const textedAfter = await lab.addLead({
        contacts: [
          { kind: "call", at: minutesAgo(40), outcome: "missed" },
          { kind: "text", at: minutesAgo(30), author: "lead", body: "Is Saturday OK?\nAfter 10 please" },
        ],
      });
      const withheld = await lab.addLead({ caller: "anonymous", contacts: [{ kind: "call", at: minutesAgo(50), outcome: "abandoned" }] });
      const answeredByText = await lab.addLead({
        contacts: [
          { kind: "text", at: minutesAgo(70), author: "lead", body: "Quote for a new roof?" },
          { kind: "text", at: minutesAgo(60), author: "client", body: "On our way" },
        ],
      });
      const photo = await lab.addLead({ contacts: [{ kind: "text", at: minutesAgo(80), author: "lead", body: "", media: 1 }] });

      const threads = await allThreads(lab.user);
      const byId = new Map(threads.map((thread) => [thread.leadId, thread]));
      expect(byId.get(talked.id)).toEqual({
        leadId: talked.id,
        caller: shown(talked.caller),
        callerWithheld: false,
        name: "Dana Whitaker",
        source: "Website",
        status: "Contacted",
        clientId: lab.clientId,
        clientName: lab.clientName,
        lastActivityAt: expect.any(Date),
        preview: "Answered call 3:04",
        missed: false,
        unreadCount: 1,
      });
      expect(Math.abs(byId.get(talked.id)!.lastActivityAt.getTime() - minutesAgo(10).getTime())).toBeLessThan(60_000);
      expect(byId.get(talked.id)!.caller).toMatch(/^\(737\) \d{3}-\d{4}$/);
      expect(byId.get(voicemail.id)).toMatchObject({ preview: "Missed call, voicemail 0:21", missed: true, name: null, source: "Google Ads" });
      expect(byId.get(textedAfter.id)).toMatchObject({ preview: "Is Saturday OK? After 10 please", missed: true, unreadCount: 2 });
      expect(byId.get(withheld.id)).toMatchObject({ caller: "Withheld number", callerWithheld: true, missed: true });
      expect(byId.get(answeredByText.id)).toMatchObject({ preview: "Reply: On our way", missed: false, unreadCount: 1 });
      expect(byId.get(photo.id)).toMatchObject({ preview: "Photo" });
      expect(threads.map((thread) => thread.leadId)).toEqual([talked.id, voicemail.id, textedAfter.id, withheld.id, answeredByText.id, photo.id]);
    });
  });

  describe("filters and search", () => {
    let lab: Lab;
    let won: { id: string; caller: string };
    let maria: { id: string; caller: string };
    let missedEarlier: { id: string; caller: string };
    let texter: { id: string; caller: string };
    const ids = async (filters: InboxFilters) => (await allThreads(lab.user, filters)).map((thread) => thread.leadId);

    beforeAll(async () => {
      lab = await openLab(db);
      won = await lab.addLead({ status: "Won", source: "Website", contacts: [{ kind: "call", at: minutesAgo(2 * DAY), outcome: "answered" }] });
      maria = await lab.addLead({ name: "Maria Lopez", contacts: [{ kind: "call", at: minutesAgo(60), outcome: "missed" }] });
      missedEarlier = await lab.addLead({
        contacts: [
          { kind: "call", at: minutesAgo(10 * DAY + 30), outcome: "missed" },
          { kind: "call", at: minutesAgo(10 * DAY), outcome: "answered" },
        ],
      });
      texter = await lab.addLead({ status: "Contacted", source: "Website", contacts: [{ kind: "text", at: minutesAgo(5 * DAY), author: "lead", body: "Hello?" }] });
    });

    it("filters by status", async () => {
      expect(await ids({ status: "Won" })).toEqual([won.id]);
      expect(await ids({ status: "New" })).toEqual([maria.id, missedEarlier.id]);
      expect(await ids({ status: "Spam" })).toEqual([]);
    });

    it("filters by source", async () => {
      expect(await ids({ source: "Website" })).toEqual([won.id, texter.id]);
      expect(await ids({ source: "Google Ads" })).toEqual([maria.id, missedEarlier.id]);
    });

    it("keeps leads with a missed call, even one answered since", async () => {
      expect(await ids({ missed: true })).toEqual([maria.id, missedEarlier.id]);
    });

    it("filters by the day of the last activity, both ends included", async () => {
      expect(await ids({ from: utcDay(minutesAgo(6 * DAY)), to: utcDay(minutesAgo(2 * DAY)) })).toEqual([won.id, texter.id]);
      expect(await ids({ from: utcDay(minutesAgo(3 * DAY)) })).toEqual([maria.id, won.id]);
      expect(await ids({ to: utcDay(minutesAgo(7 * DAY)) })).toEqual([missedEarlier.id]);
    });

    it("combines filters", async () => {
      expect(await ids({ status: "New", missed: true, source: "Google Ads" })).toEqual([maria.id, missedEarlier.id]);
      expect(await ids({ source: "Website", status: "Contacted", from: utcDay(minutesAgo(6 * DAY)) })).toEqual([texter.id]);
    });

    it("finds a lead by its number written any way, or by part of it", async () => {
      const digits = won.caller.slice(2);
      const formats = [
        shown(won.caller),
        `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`,
        `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}`,
        `+1 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
        won.caller,
        digits,
        `${digits.slice(3, 6)}-${digits.slice(6)}`,
      ];
      for (const q of formats) expect(await ids({ q }), q).toEqual([won.id]);
      expect(await ids({ q: digits.slice(-4) })).toContain(won.id);
    });

    it("finds a lead by part of its name, whatever the case", async () => {
      expect(await ids({ q: "maria" })).toEqual([maria.id]);
      expect(await ids({ q: "LOPEZ" })).toEqual([maria.id]);
      expect(await ids({ q: "ria l" })).toEqual([maria.id]);
    });

    it("finds nothing for a number nobody called from, and takes % and _ literally", async () => {
      expect(await ids({ q: "(000) 000-0000" })).toEqual([]);
      expect(await ids({ q: "%" })).toEqual([]);
      expect(await ids({ q: "_" })).toEqual([]);
    });
  });

  describe("unread counts", () => {
    it("counts calls and the lead's texts since this user last opened the thread, per user", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({
        contacts: [
          { kind: "call", at: minutesAgo(30), outcome: "missed" },
          { kind: "text", at: minutesAgo(29), author: "auto", body: "Sorry we missed you" },
          { kind: "text", at: minutesAgo(20), author: "lead", body: "Call me back" },
          { kind: "text", at: minutesAgo(15), author: "client", body: "Calling now" },
          { kind: "call", at: minutesAgo(14), outcome: "answered" },
        ],
      });
      const unread = async (viewer: Viewer) => (await allThreads(viewer, { client: lab.clientId })).find((t) => t.leadId === lead.id)?.unreadCount;
      expect(await unread(lab.user)).toBe(3);
      expect(await unread(AGENCY_OWNER)).toBe(3);

      expect(await markThreadRead(db, lab.user, lead.id)).toBe(true);
      expect(await unread(lab.user)).toBe(0);
      expect(await unread(AGENCY_OWNER)).toBe(3);

      await placeCall(lab.googleAds.trackingNumber, lead.caller, "answered");
      expect(await unread(lab.user)).toBe(1);
      expect(await unread(AGENCY_OWNER)).toBe(4);
      expect(await markThreadRead(db, lab.user, lead.id)).toBe(true);
      expect(await unread(lab.user)).toBe(0);
    });

    it("marks nothing on a lead the user may not see", async () => {
      expect(await markThreadRead(db, ACME_OFFICE, SEEDED.brightLead)).toBe(false);
      expect(await markThreadRead(db, ACME_OFFICE, "not-a-lead")).toBe(false);
      expect(await db.query("select 1 from public.lead_reads where user_id = $1 and lead_id = $2", [ACME_OFFICE.userId, SEEDED.brightLead])).toEqual([]);
    });
  });

  describe("who sees which threads", () => {
    it("shows a client user only their client's threads, whatever client the URL names", async () => {
      for (const client of [undefined, "bright-smiles"]) {
        const threads = await allThreads(ACME_OFFICE, { client });
        expect(new Set(threads.map((thread) => thread.clientId))).toEqual(new Set(["acme-plumbing"]));
        expect(threads.map((thread) => thread.leadId)).toContain(SEEDED.acmeLead);
      }
      expect(new Set((await allThreads(BRIGHT_FRONT_DESK)).map((thread) => thread.clientId))).toEqual(new Set(["bright-smiles"]));
      expect(await allThreads(ACME_OFFICE, { q: SEEDED.brightCaller })).toEqual([]);
    });

    it("shows agency staff every client, and one client when they filter by it", async () => {
      const lab = await openLab(db);
      await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
      const everyone = await allThreads(AGENCY_OWNER);
      expect([...new Set(everyone.map((thread) => thread.clientId))]).toEqual(expect.arrayContaining(["acme-plumbing", "bright-smiles", lab.clientId]));
      const times = everyone.map((thread) => thread.lastActivityAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const bright = await allThreads(AGENCY_OWNER, { client: "bright-smiles" });
      expect(bright.length).toBeGreaterThan(0);
      expect(new Set(bright.map((thread) => thread.clientId))).toEqual(new Set(["bright-smiles"]));
      expect(bright.find((thread) => thread.leadId === SEEDED.brightLead)).toMatchObject({ clientName: "Bright Smiles Dental", caller: SEEDED.brightCaller });
    });

    it("offers the viewer's own sources, and the client choice to staff only", async () => {
      const lab = await openLab(db);
      expect(await listFilterChoices(db, lab.user)).toEqual({ sources: ["Google Ads", "Website"], clients: null });
      const staff = await listFilterChoices(db, AGENCY_OWNER);
      expect(staff.clients).toEqual(expect.arrayContaining([{ id: "bright-smiles", name: "Bright Smiles Dental" }, { id: lab.clientId, name: lab.clientName }]));
      expect((await listFilterChoices(db, BRIGHT_FRONT_DESK)).sources).toEqual(["Facebook Ads"]);
    });
  });

  describe("a thread", () => {
    it("holds the lead and its calls and texts in both directions, merged by time, newest last", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({
        name: "Sam Ortiz",
        contacts: [
          { kind: "call", at: minutesAgo(60), outcome: "missed", voicemailSeconds: 21 },
          { kind: "text", at: minutesAgo(59), author: "auto", body: "Sorry we missed your call!", status: "delivered" },
          { kind: "text", at: minutesAgo(50), author: "lead", body: "Pipe burst, help", media: 2, relayStatus: "delivered" },
          { kind: "text", at: minutesAgo(45), author: "client", body: "From my phone", status: "relayed", relayStatus: "undelivered" },
          { kind: "text", at: minutesAgo(40), author: "client", body: "From the inbox", status: "failed", errorCode: 30007 },
          { kind: "call", at: minutesAgo(10), outcome: "answered", talkSeconds: 184 },
        ],
      });
      const thread = await readThread(db, lab.user, lead.id);
      expect(thread?.lead).toEqual({
        id: lead.id,
        caller: shown(lead.caller),
        callerWithheld: false,
        name: "Sam Ortiz",
        value: null,
        notes: null,
        status: "New",
        source: "Google Ads",
        trackingNumber: shown(lab.googleAds.trackingNumber),
        clientId: lab.clientId,
        clientName: lab.clientName,
        firstContactAt: expect.any(Date),
        lastContactAt: expect.any(Date),
        firstTouch: { source: "Google Ads", medium: null, campaign: null, term: null, clickId: null, landingPage: null, referrer: null },
      });
      const forwardedTo = shown(lab.googleAds.primaryNumber);
      expect(thread?.timeline).toEqual([
        { kind: "call", id: expect.any(String), at: expect.any(Date), outcome: "missed", missedReason: "no-answer", durationSeconds: 65, forwardedTo, voicemail: { durationSeconds: 21 }, cameFrom: null },
        { kind: "text", id: expect.any(String), at: expect.any(Date), author: "auto", body: "Sorry we missed your call!", mediaCount: 0, delivery: { status: "delivered", errorCode: null }, copyToClient: null, cameFrom: null },
        { kind: "text", id: expect.any(String), at: expect.any(Date), author: "lead", body: "Pipe burst, help", mediaCount: 2, delivery: null, copyToClient: { status: "delivered", errorCode: null }, cameFrom: null },
        { kind: "text", id: expect.any(String), at: expect.any(Date), author: "client", body: "From my phone", mediaCount: 0, delivery: { status: "undelivered", errorCode: null }, copyToClient: null, cameFrom: null },
        { kind: "text", id: expect.any(String), at: expect.any(Date), author: "client", body: "From the inbox", mediaCount: 0, delivery: { status: "failed", errorCode: 30007 }, copyToClient: null, cameFrom: null },
        { kind: "call", id: expect.any(String), at: expect.any(Date), outcome: "answered", missedReason: null, durationSeconds: 184, forwardedTo, voicemail: null, cameFrom: null },
      ]);
      expect(thread?.olderOmitted).toBe(false);
      expect(thread?.replyDisabledReason).toBeUndefined();
    });

    it("is null for another client's lead, a lead that does not exist, and an id that is not one", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
      expect(await readThread(db, ACME_OFFICE, lead.id)).toBeNull();
      expect(await readThread(db, lab.user, SEEDED.acmeLead)).toBeNull();
      expect(await readThread(db, ACME_OFFICE, SEEDED.brightLead)).toBeNull();
      expect(await readThread(db, ACME_OFFICE, "00000000-0000-4000-a000-00000000dead")).toBeNull();
      expect(await readThread(db, ACME_OFFICE, "../bright-smiles")).toBeNull();
      expect((await readThread(db, AGENCY_OWNER, lead.id))?.lead.clientName).toBe(lab.clientName);
      expect((await readThread(db, ACME_OFFICE, SEEDED.acmeLead))?.lead.clientId).toBe("acme-plumbing");
    });

    it("says why no text can be sent: a withheld number, an opt-out, a number that cannot take texts", async () => {
      const lab = await openLab(db);
      const call = [{ kind: "call" as const, at: minutesAgo(5), outcome: "missed" as const }];
      const withheld = await lab.addLead({ caller: "anonymous", contacts: call });
      const stopped = await lab.addLead({ contacts: call });
      const landline = await lab.addLead({ contacts: call });
      await db.query("insert into public.opt_outs (client_id, phone, reason) values ($1, $2, 'texted STOP')", [lab.clientId, stopped.caller]);
      await db.query("insert into public.opt_outs (client_id, phone, reason, cannot_receive_texts) values ($1, $2, 'Twilio 30006', true)", [lab.clientId, landline.caller]);

      expect(await readThread(db, lab.user, withheld.id)).toMatchObject({ lead: { caller: "Withheld number" }, replyDisabledReason: WITHHELD_REASON });
      expect((await readThread(db, lab.user, stopped.id))?.replyDisabledReason).toBe(OPTED_OUT_REASON);
      expect((await readThread(db, lab.user, landline.id))?.replyDisabledReason).toBe(CANNOT_RECEIVE_REASON);
    });
  });

  describe("the lead panel's changes", () => {
    const statusJobs = (leadId: string) =>
      db.query<{ event_key: string }>("select event_key from internal.outbox where topic = 'lead.sync' and lead_id = $1 and event_key like 'status:%'", [leadId]);

    it("saves status, name, value and notes, and queues the status for the Lead Pipeline", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });

      expect(await updateLead(db, lab.user, lead.id, { status: "Qualified", name: "Ana Ruiz", value: 1250.5, notes: "Wants a quote for two bathrooms" })).toBe(true);
      expect((await readThread(db, lab.user, lead.id))?.lead).toMatchObject({ status: "Qualified", name: "Ana Ruiz", value: 1250.5, notes: "Wants a quote for two bathrooms" });
      expect(await statusJobs(lead.id)).toEqual([{ event_key: expect.stringMatching(new RegExp(`^status:${lead.id}:Qualified:`)) }]);

      expect(await updateLead(db, lab.user, lead.id, { name: null, value: null })).toBe(true);
      expect((await readThread(db, lab.user, lead.id))?.lead).toMatchObject({ status: "Qualified", name: null, value: null, notes: "Wants a quote for two bathrooms" });
      expect(await statusJobs(lead.id)).toHaveLength(1);
      expect(await updateLead(db, lab.user, lead.id, {})).toBe(true);
    });

    it("refuses another client's lead and changes nothing", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
      const stored = () => db.query("select status, name, value, notes, updated_at from public.leads where id = $1", [lead.id]);
      const before = await stored();

      expect(await updateLead(db, ACME_OFFICE, lead.id, { status: "Spam", name: "Hijacked" })).toBe(false);
      expect(await updateLead(db, BRIGHT_FRONT_DESK, SEEDED.acmeLead, { status: "Spam" })).toBe(false);
      expect(await stored()).toEqual(before);
      expect(await statusJobs(lead.id)).toEqual([]);
      expect(await db.query("select status from public.leads where id = $1", [SEEDED.acmeLead])).not.toEqual([{ status: "Spam" }]);
    });
  });

  describe("a status change through the Data API, and the times the database keeps", () => {
    const FAR_FUTURE = "2999-01-01T00:00:00Z";
    const LONG_AGO = "2001-01-01T00:00:00Z";
    const asClient = (lab: Lab, sql: string, params: unknown[]) => withUserClaims(db, lab.user.claims, (tx) => tx.query(sql, params));
    const pendingSyncJobs = (leadId: string) =>
      db.query<{ event_key: string }>("select event_key from internal.outbox where topic = 'lead.sync' and lead_id = $1 and status = 'pending'", [leadId]);
    const storedTimes = (leadId: string) =>
      db.query<{ status: string; status_changed_at: Date | null; status_pushed_at: Date | null; updated_at: Date }>(
        "select status, status_changed_at, status_pushed_at, updated_at from public.leads where id = $1",
        [leadId],
      );
    const newLead = async () => {
      const lab = await openLab(db);
      return { lab, lead: await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] }) };
    };

    it("refuses a client's own writes of when the status changed or the lead last changed", async () => {
      const { lab, lead } = await newLead();
      const before = await storedTimes(lead.id);
      for (const [assignments, at] of [
        ["status_changed_at = $2", FAR_FUTURE],
        ["status_changed_at = $2", LONG_AGO],
        ["status = 'Won', status_changed_at = $2", FAR_FUTURE],
        ["updated_at = $2", FAR_FUTURE],
      ]) {
        await expect(asClient(lab, `update public.leads set ${assignments} where id = $1`, [lead.id, at])).rejects.toThrow(/permission denied for table leads/);
      }
      expect(await storedTimes(lead.id)).toEqual(before);
      expect(await pendingSyncJobs(lead.id)).toEqual([]);
    });

    it("dates and queues a status change a client makes with a plain update, and stamps the lead as changed", async () => {
      const { lab, lead } = await newLead();
      const [before] = await storedTimes(lead.id);

      expect(await asClient(lab, "update public.leads set status = 'Won' where id = $1 returning id", [lead.id])).toEqual([{ id: lead.id }]);

      const [after] = await storedTimes(lead.id);
      expect(after.status).toBe("Won");
      expect(after.status_changed_at!.getTime()).toBeGreaterThan(before.updated_at.getTime());
      expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
      expect(await pendingSyncJobs(lead.id)).toEqual([{ event_key: expect.stringMatching(new RegExp(`^status:${lead.id}:Won:`)) }]);
    });

    it("queues one job for the Lead Pipeline however often a client flips the status", async () => {
      const { lab, lead } = await newLead();
      for (let flip = 0; flip < 50; flip++) {
        await asClient(lab, "update public.leads set status = $2 where id = $1", [lead.id, flip % 2 === 0 ? "Qualified" : "Contacted"]);
      }
      expect(await pendingSyncJobs(lead.id)).toHaveLength(1);
      expect((await storedTimes(lead.id))[0].status).toBe("Contacted");
    });

    it("queues one more job for changes made while the lead's row is on its way to Airtable", async () => {
      const { lab, lead } = await newLead();
      await asClient(lab, "update public.leads set status = 'Qualified' where id = $1", [lead.id]);
      const claim = await claimDueJobs(db, 100_000);
      try {
        expect(claim.leadIds).toContain(lead.id);
        for (const status of ["Won", "Lost", "Won"]) await asClient(lab, "update public.leads set status = $2 where id = $1", [lead.id, status]);
        await markDelivered(db, claim.jobs.filter((job) => job.lead_id === lead.id).map((job) => job.id));
      } finally {
        await releaseLeads(db, claim.leadIds, claim.claimant);
      }
      expect(await pendingSyncJobs(lead.id)).toHaveLength(1);
    });

    it("takes a status staff set in Airtable, dated by Airtable, without queuing it back", async () => {
      const { lab, lead } = await newLead();
      airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
      airtable.addRow(LEAD_PIPELINE_TABLE, { [F.leadKey]: `${lab.clientId}:${lead.caller}`, [F.status]: "Won" });
      const [staffRow] = airtable.rows(LEAD_PIPELINE_TABLE);

      const report = await pullPipelineStatuses(db, serverEnv().airtable!);

      expect(report.applied).toBe(1);
      const [after] = await storedTimes(lead.id);
      expect(after).toMatchObject({ status: "Won", status_changed_at: new Date(staffRow.fields[F.statusModified] as string) });
      expect(after.status_pushed_at).toEqual(after.status_changed_at);
      expect(await pendingSyncJobs(lead.id)).toEqual([]);
    });
  });

  describe("the change marker the open inbox polls", () => {
    it("changes after a new call, a new text and a status change, and not otherwise", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
      const marker = () => readChangeMarker(db, lab.user);
      const staffMarker = () => readChangeMarker(db, AGENCY_OWNER, { client: lab.clientId });

      const quiet = await marker();
      const quietForStaff = await staffMarker();
      expect(await marker()).toBe(quiet);
      await markThreadRead(db, lab.user, lead.id);
      await updateLead(db, ACME_OFFICE, SEEDED.acmeLead, { notes: `Another client's change ${Date.now()}` });
      await placeCall("+17375550200", phoneNumber("737"), "answered");
      expect(await marker()).toBe(quiet);
      expect(await staffMarker()).toBe(quietForStaff);

      await placeCall(lab.googleAds.trackingNumber, phoneNumber("737"), "answered");
      const afterCall = await marker();
      expect(afterCall).not.toBe(quiet);
      expect(await staffMarker()).not.toBe(quietForStaff);

      await sendText(lab.website.trackingNumber, lead.caller, "Are you open on Sunday?");
      const afterText = await marker();
      expect(afterText).not.toBe(afterCall);

      await updateLead(db, lab.user, lead.id, { status: "Won" });
      expect(await marker()).not.toBe(afterText);
    });

    it("for one thread, changes only with that lead", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
      const marker = () => readChangeMarker(db, lab.user, { lead: lead.id });

      const quiet = await marker();
      await placeCall(lab.googleAds.trackingNumber, phoneNumber("737"), "answered");
      expect(await marker()).toBe(quiet);

      await sendText(lab.googleAds.trackingNumber, lead.caller, "One more thing");
      expect(await marker()).not.toBe(quiet);
    });

    it("tells another client's user nothing about a lead or a client", async () => {
      const lab = await openLab(db);
      const lead = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
      const theirs = () => Promise.all([readChangeMarker(db, ACME_OFFICE, { lead: lead.id }), readChangeMarker(db, ACME_OFFICE, { client: lab.clientId })]);
      const before = await theirs();
      expect(before[0]).toBe("none");
      expect(await readChangeMarker(db, lab.user, { lead: "not-a-lead" })).toBe("none");
      await placeCall(lab.googleAds.trackingNumber, lead.caller, "answered");
      expect(await theirs()).toEqual(before);
      expect(before[1]).toBe(await readChangeMarker(db, ACME_OFFICE));
    });
  });
}
