// A month of usage built through the paths that really write the ledger (signed webhooks, the
// functions the webhook routes call with their arrival time, reconciliation from Twilio's logs,
// the number-days job, a markup saved by staff), then read as /usage and its CSV read it. Written
// once and run on the embedded database (usage-month.test.ts) and on PostgreSQL (usage-month.pg.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { callStatusSchema, handleCallStatus } from "@/lib/calls/handle-call-status";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import type { Database } from "@/lib/db/database";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { sendInboxReply } from "@/lib/inbox/send-inbox-reply";
import { reconcileFromTwilio } from "@/lib/reconcile/reconcile-from-twilio";
import { inboundSmsSchema } from "@/lib/sms/inbound-sms";
import { relayInboundSms } from "@/lib/sms/relay-inbound-sms";
import { exportUsageCsv, USAGE_CSV_HEADER } from "@/lib/usage/export-usage-csv";
import { readUsageMonth, USAGE_COUNTS, type UsageCounts, type UsageLine } from "@/lib/usage/read-usage-month";
import { saveClientMarkup } from "@/lib/usage/save-client-markup";
import { currentUsageMonth, shiftUsageMonth, usageMonthBounds } from "@/lib/usage/usage-month";
import { parseCsv } from "../reports/parse-csv";
import { ledgerSums, NO_USAGE, type LedgerSums } from "./ledger-sums";
import { postWebhook } from "./usage-entries";
import { useRemoteServices } from "../support/remote-services";
import { ACME_OFFICE, AGENCY_OWNER } from "../support/seeded-viewers";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { minutesAgo } from "../support/twilio-logs";
import { sid } from "../support/twilio-webhook";

const MONTH = currentUsageMonth(new Date());
const { start: MONTH_START, end: NEXT_MONTH_START } = usageMonthBounds(MONTH);
const EDGE = { clientId: "edge-client", clientName: "Edge Of The Month Co" };

const pageNumbers = (line: UsageLine): LedgerSums => ({
  ...(Object.fromEntries(USAGE_COUNTS.map((count) => [count.key, line[count.key]])) as UsageCounts),
  cost: Number(line.cost),
  unpriced: line.unpriced,
  invoiceCents: Math.round(Number(line.invoiceTotal) * 100),
});

export function describeUsageMonthScenarios(): void {
  const { twilioApi } = useRemoteServices();
  let db: Database;
  let acme: TrackingNumberConfig;
  let edge: TrackingNumberConfig;

  const post = postWebhook;

  /** A lead's text as the SMS route hands it on, arriving at `at`, and in Twilio's log, priced. */
  async function textArriving(config: TrackingNumberConfig, segments: number, at: Date): Promise<void> {
    const text = { MessageSid: sid("SM"), From: phoneNumber(), To: config.trackingNumber, Body: "hello", NumSegments: String(segments) };
    await relayInboundSms(inboundSmsSchema.parse(text), at);
    twilioApi.addMessage({ sid: text.MessageSid, from: text.From, to: text.To, body: text.Body, direction: "inbound", dateSent: at, numSegments: segments, price: "-0.0079" });
  }
  /** A call's final status callback as the status route hands it on (the call began `seconds` before it arrived), and the call in Twilio's log, priced. */
  async function callEnding(config: TrackingNumberConfig, seconds: number, began: Date): Promise<void> {
    const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber, CallStatus: "completed", CallDuration: String(seconds) };
    const ended = new Date(began.getTime() + seconds * 1000);
    await handleCallStatus(callStatusSchema.parse(call), ended);
    twilioApi.addCall({ sid: call.CallSid, from: call.From, to: call.To, status: "completed", direction: "inbound", startTime: began, endTime: ended, duration: seconds, price: "-0.0170" });
  }

  beforeAll(async () => {
    db = await getDatabase();
    await seedDatabase(db, { onlyIfEmpty: true });
    acme = await addTrackingNumber({ clientId: "acme-plumbing", clientName: "Acme Plumbing", textBackMessage: "Sorry we missed you! Text us here." });
    edge = await addTrackingNumber(EDGE);

    // Acme's month so far, through its webhooks: an answered call, a missed call and its text-back,
    // a lead's SMS and MMS relayed to the client, the client's reply relayed back, an inbox reply.
    const answered = { CallSid: sid("CA"), From: phoneNumber(), To: acme.trackingNumber };
    const dialSid = sid("CA");
    await post(voice, "/api/twilio/voice", { ...answered, CallStatus: "ringing" });
    await post(status, "/api/twilio/status?event=dial", { ...answered, DialCallSid: dialSid, DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "181" });
    await post(status, "/api/twilio/status", { ...answered, CallStatus: "completed", CallDuration: "190" });
    const missed = { CallSid: sid("CA"), From: phoneNumber(), To: acme.trackingNumber };
    await post(voice, "/api/twilio/voice", { ...missed, CallStatus: "ringing" });
    await post(status, "/api/twilio/status?event=dial", { ...missed, DialCallSid: sid("CA"), DialCallStatus: "no-answer", DialBridged: "false" });
    await post(status, "/api/twilio/status", { ...missed, CallStatus: "completed", CallDuration: "35" });
    const lead = phoneNumber();
    const leadText = sid("SM");
    await post(sms, "/api/twilio/sms", { MessageSid: leadText, From: lead, To: acme.trackingNumber, Body: "Can you quote a water heater?", NumMedia: "0", NumSegments: "1" });
    await post(status, `/api/twilio/status?event=relay&for=${leadText}`, { MessageSid: sid("SM"), MessageStatus: "delivered" });
    const photo = sid("SM");
    await post(sms, "/api/twilio/sms", { MessageSid: photo, From: lead, To: acme.trackingNumber, Body: "", NumMedia: "1", MediaUrl0: "https://api.twilio.com/m/1.jpg", MediaContentType0: "image/jpeg" });
    await post(status, `/api/twilio/status?event=relay&for=${photo}`, { MessageSid: sid("SM"), MessageStatus: "sent" });
    const clientReply = sid("SM");
    await post(sms, "/api/twilio/sms", { MessageSid: clientReply, From: acme.smsForwardNumber, To: acme.trackingNumber, Body: "Yes: $1,450 installed.", NumMedia: "0", NumSegments: "1" });
    await post(status, `/api/twilio/status?event=relay&for=${clientReply}`, { MessageSid: sid("SM"), MessageStatus: "delivered" });
    const [{ id: leadId }] = await db.query<{ id: string }>("select id from public.leads where client_id = 'acme-plumbing' and caller = $1", [lead]);
    expect(await sendInboxReply(db, AGENCY_OWNER, leadId, "We can come Thursday morning.")).toMatchObject({ ok: true });

    // Twilio prices what it logged; one call reached only Twilio's log (its webhooks were lost).
    const logged = minutesAgo(20);
    twilioApi.addCall({ sid: answered.CallSid, from: answered.From, to: acme.trackingNumber, status: "completed", direction: "inbound", startTime: logged, endTime: minutesAgo(16), duration: 190, price: "-0.0170" });
    twilioApi.addCall({ sid: dialSid, parentCallSid: answered.CallSid, from: answered.From, to: acme.primaryNumber, status: "completed", direction: "outbound-dial", startTime: logged, endTime: minutesAgo(16), duration: 181, price: "-0.0560" });
    twilioApi.addMessage({ sid: leadText, from: lead, to: acme.trackingNumber, body: "Can you quote a water heater?", direction: "inbound", dateSent: logged, price: "-0.0079" });
    for (const message of twilioApi.sent) twilioApi.setPrice(message.sid, "-0.0079");
    const lostCall = sid("CA");
    twilioApi.addCall({ sid: lostCall, from: phoneNumber(), to: acme.trackingNumber, status: "completed", direction: "inbound", startTime: minutesAgo(30), endTime: minutesAgo(28), duration: 95, price: "-0.0085" });

    // The edge client: entries at the month's first and last instants, and either side of them.
    await textArriving(edge, 1, new Date(MONTH_START));
    await textArriving(edge, 3, new Date(Date.parse(NEXT_MONTH_START) - 1));
    await textArriving(edge, 10, new Date(Date.parse(MONTH_START) - 1));
    await textArriving(edge, 100, new Date(NEXT_MONTH_START));
    await callEnding(edge, 61, new Date(MONTH_START));
    await callEnding(edge, 30, new Date(Date.parse(MONTH_START) - 1000));

    await reconcileFromTwilio({ sinceMs: 2 * 60 * 60_000 });
    expect(await saveClientMarkup(db, AGENCY_OWNER, { clientId: "acme-plumbing", markupPercent: "25" })).toEqual({ ok: true, message: "Acme Plumbing: markup set to 25%." });
  });

  afterAll(async () => {
    await closeDatabase();
  });

  describe("a month on /usage", () => {
    it("shows each client's numbers exactly as the ledger sums them, and every client's together", async () => {
      const report = await readUsageMonth(db, AGENCY_OWNER, MONTH);
      const sums = await ledgerSums(db, MONTH);

      expect(report.clients.map((line) => line.clientId)).toEqual(expect.arrayContaining(["acme-plumbing", "bright-smiles", EDGE.clientId]));
      for (const line of report.clients) expect(pageNumbers(line), line.clientName).toEqual(sums.get(line.clientId) ?? NO_USAGE);
      expect(pageNumbers(report.total)).toEqual(sums.get(null));
      // Not a month of zeros: every kind of entry is in it.
      const acmeLine = report.clients.find((line) => line.clientId === "acme-plumbing")!;
      expect(acmeLine).toMatchObject({ inboundMinutes: 4 + 1 + 2, forwardedMinutes: 4, mmsIn: 1, mmsOut: 1, currencies: ["USD"], markupPercent: "25" });
      expect(acmeLine.smsSegmentsIn).toBeGreaterThanOrEqual(2);
      expect(acmeLine.smsSegmentsOut).toBeGreaterThanOrEqual(3);
      expect(acmeLine.numberDays).toBeGreaterThanOrEqual(1);
      expect(acmeLine.unpriced).toBeGreaterThan(0);
    });

    it("adds the markup to the known cost: invoice total = cost × (1 + markup%), to the cent", async () => {
      const { start, end } = usageMonthBounds(MONTH);
      const [expected] = await db.query<{ cost: string; total: string }>(
        `select trim_scale(sum(price))::text as cost, round(sum(price) * 1.25, 2)::text as total
           from public.usage_events where client_id = 'acme-plumbing' and occurred_at >= $1 and occurred_at < $2`,
        [start, end],
      );
      const report = await readUsageMonth(db, AGENCY_OWNER, MONTH);
      const acmeLine = report.clients.find((line) => line.clientId === "acme-plumbing")!;

      expect(acmeLine.cost).toBe(expected.cost);
      expect(acmeLine.invoiceTotal).toBe(expected.total);
      expect(Number(acmeLine.cost)).toBeGreaterThan(0.09);
      const clientTotals = report.clients.reduce((sum, line) => sum + Math.round(Number(line.invoiceTotal) * 100), 0);
      expect(Math.round(Number(report.total.invoiceTotal) * 100)).toBe(clientTotals);
    });

    it("counts an entry at the month's first and last instants, and none from either side", async () => {
      const edgeOf = async (month: string) => (await readUsageMonth(db, AGENCY_OWNER, month)).clients.find((line) => line.clientId === EDGE.clientId)!;

      // Twilio priced what has happened; the last instant's text is still to come, so it has no price.
      expect(await edgeOf(MONTH)).toMatchObject({ smsSegmentsIn: 1 + 3, inboundMinutes: 2, cost: "0.0249", unpriced: 1 });
      expect(await edgeOf(shiftUsageMonth(MONTH, -1))).toMatchObject({ smsSegmentsIn: 10, inboundMinutes: 1, numberDays: 0, cost: "0.0249", unpriced: 0 });
      expect(await edgeOf(shiftUsageMonth(MONTH, 1))).toMatchObject({ smsSegmentsIn: 100, inboundMinutes: 0, numberDays: 0, unpriced: 1 });
    });

    it("downloads the same numbers as CSV", async () => {
      const report = await readUsageMonth(db, AGENCY_OWNER, MONTH);
      const text = await exportUsageCsv(db, AGENCY_OWNER, MONTH);
      const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));

      expect(header).toEqual(USAGE_CSV_HEADER);
      const column = (name: string) => USAGE_CSV_HEADER.indexOf(name);
      expect(rows).toEqual(
        [...report.clients, report.total].map((line) => [
          MONTH,
          line.clientId ?? "",
          line.clientName,
          ...USAGE_COUNTS.map((count) => String(line[count.key])),
          line.currencies.join(" "),
          line.cost,
          String(line.unpriced),
          line.markupPercent ?? "",
          line.invoiceTotal,
        ]),
      );
      expect(rows.at(-1)![column("Client")]).toBe("All clients");
    });

    it("shows a client user nothing, whatever the code asks: the ledger and markups are for staff", async () => {
      const seenByClient = await readUsageMonth(db, ACME_OFFICE, MONTH);
      const pretendingStaff = await readUsageMonth(db, { ...ACME_OFFICE, role: "agency_admin", clientId: null }, MONTH);

      for (const report of [seenByClient, pretendingStaff]) {
        for (const line of [...report.clients, report.total]) expect(pageNumbers(line)).toEqual(NO_USAGE);
        expect(report.clients.map((line) => line.markupPercent)).toEqual(report.clients.map(() => "0"));
      }
      expect(await saveClientMarkup(db, ACME_OFFICE, { clientId: "acme-plumbing", markupPercent: "0" })).toEqual({ ok: false, message: "Only agency staff can set a markup." });
      expect((await readUsageMonth(db, AGENCY_OWNER, MONTH)).clients.find((line) => line.clientId === "acme-plumbing")!.markupPercent).toBe("25");
    });
  });
}
