// The reports and the CSV export over a known history (tests/reports/report-history.ts), written
// once and run on the embedded database (reports.test.ts) and on PostgreSQL (reports.pg.test.ts):
// every series has exact numbers, a client user counts only its own client whatever the URL asks,
// and RLS keeps another client's leads out even when the code asks for everyone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import type { Database } from "@/lib/db/database";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { exportLeadsCsv, LEADS_CSV_HEADER } from "@/lib/reports/export-leads-csv";
import { readReports } from "@/lib/reports/read-reports";
import type { ReportRange } from "@/lib/reports/report-range";
import { ACME_OFFICE, AGENCY_OWNER, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { parseCsv } from "./parse-csv";
import { HISTORY, RANGE, writeHistory } from "./report-history";

const acmeRange: ReportRange = { ...RANGE, client: null };
// Staff by the code's reckoning, Acme's user by the verified claims: only RLS stands in the way.
const ACME_CLAIMING_STAFF: Viewer = { ...ACME_OFFICE, role: "agency_admin", clientId: null };

async function csvOf(db: Database, viewer: Viewer, range: ReportRange, pageSize?: number): Promise<string[][]> {
  let text = "";
  for await (const chunk of exportLeadsCsv(db, viewer, range, pageSize)) text += chunk;
  expect(text.startsWith("\uFEFF")).toBe(true);
  return parseCsv(text.slice(1));
}

export function describeReportScenarios(): void {
  let db: Database;
  let leadIds: Map<string, string>;

  beforeAll(async () => {
    db = await getDatabase();
    await seedDatabase(db, { onlyIfEmpty: true });
    leadIds = await writeHistory(db);
  });

  afterAll(async () => {
    await closeDatabase();
  });

  describe("reports", () => {
    it("counts Acme's calls per day by source, answered against missed, first-time against repeat", async () => {
      const reports = await readReports(db, ACME_OFFICE, acmeRange);
      expect(reports.clientIds).toEqual(["acme-plumbing"]);
      expect(reports.sources).toEqual(["Website", "Google Ads", "No source", "Yelp"]);
      expect(reports.days.map(({ textBacksSent, textBacksAnswered, ...calls }) => calls)).toEqual([
        { day: "2025-03-01", calls: 3, bySource: { "Google Ads": 1, Website: 1, Yelp: 1 }, answered: 1, missed: 2, firstTime: 2, repeat: 1 },
        { day: "2025-03-02", calls: 4, bySource: { "Google Ads": 2, Website: 2 }, answered: 2, missed: 1, firstTime: 3, repeat: 1 },
        { day: "2025-03-03", calls: 2, bySource: { "No source": 1, Website: 1 }, answered: 0, missed: 2, firstTime: 1, repeat: 1 },
      ]);
      expect(reports.totals).toMatchObject({ calls: 9, answered: 3, missed: 5, firstTime: 6, repeat: 3 });
      expect(reports.totals.bySource).toEqual({ Website: 4, "Google Ads": 3, "No source": 1, Yelp: 1 });
    });

    it("counts text-backs sent in the range and those the lead answered by text or call within 7 days", async () => {
      const reports = await readReports(db, ACME_OFFICE, acmeRange);
      expect(reports.days.map((d) => [d.day, d.textBacksSent, d.textBacksAnswered])).toEqual([
        ["2025-03-01", 2, 1],
        ["2025-03-02", 1, 1],
        ["2025-03-03", 1, 0],
      ]);
      expect(reports.totals).toMatchObject({ textBacksSent: 4, textBacksAnswered: 2 });
    });

    it("measures time to first reply from each lead's first contact in the range to a client text or an answered call", async () => {
      const { firstReply } = await readReports(db, ACME_OFFICE, acmeRange);
      // Waits: A 0, C 0, F 180, B 2400, H 32400, E 122401, G 691200; D never.
      expect(firstReply).toEqual({
        leads: 8,
        replied: 7,
        medianSeconds: 2400,
        p90Seconds: 691200,
        buckets: { under5m: 3, under1h: 1, under1d: 1, later: 2, never: 1 },
      });
    });

    it("fills days without activity with zeros and leaves out what falls outside the range", async () => {
      const reports = await readReports(db, ACME_OFFICE, { from: "2025-02-27", to: "2025-02-28", client: null });
      expect(reports.days).toEqual([
        { day: "2025-02-27", calls: 0, bySource: {}, answered: 0, missed: 0, firstTime: 0, repeat: 0, textBacksSent: 0, textBacksAnswered: 0 },
        { day: "2025-02-28", calls: 1, bySource: { "Google Ads": 1 }, answered: 1, missed: 0, firstTime: 0, repeat: 1, textBacksSent: 0, textBacksAnswered: 0 },
      ]);
      // A's call on the 28th was answered: the answer is the reply, at once.
      expect(reports.firstReply).toMatchObject({ leads: 1, replied: 1, medianSeconds: 0, p90Seconds: 0 });
      const quiet = await readReports(db, ACME_OFFICE, { from: "2025-01-01", to: "2025-01-31", client: null });
      expect(quiet.totals.calls).toBe(0);
      expect(quiet.firstReply).toEqual({ leads: 0, replied: 0, medianSeconds: null, p90Seconds: null, buckets: { under5m: 0, under1h: 0, under1d: 0, later: 0, never: 0 } });
    });

    it("gives a client user only its own client, even when the URL names another", async () => {
      const asked = await readReports(db, BRIGHT_FRONT_DESK, { ...RANGE, client: "acme-plumbing" });
      expect(asked.clientIds).toEqual(["bright-smiles"]);
      expect(asked.totals).toMatchObject({ calls: 1, missed: 1, answered: 0, firstTime: 1, textBacksSent: 1, textBacksAnswered: 1 });
      expect(asked.sources).toEqual(["Facebook Ads"]);
      expect(asked.firstReply).toMatchObject({ leads: 1, replied: 0 });
    });

    it("lets staff see every client or pick one", async () => {
      const all = await readReports(db, AGENCY_OWNER, acmeRange);
      expect(all.clientIds).toBeNull();
      expect(all.totals).toMatchObject({ calls: 10, missed: 6, textBacksSent: 5, textBacksAnswered: 3 });
      expect(all.firstReply).toMatchObject({ leads: 9, replied: 7 });
      const bright = await readReports(db, AGENCY_OWNER, { ...RANGE, client: "bright-smiles" });
      expect(bright.totals).toMatchObject({ calls: 1, bySource: { "Facebook Ads": 1 } });
    });

    it("counts nothing of another client when the code asks for everyone but the claims are a client user's", async () => {
      const reports = await readReports(db, ACME_CLAIMING_STAFF, acmeRange);
      expect(reports.totals).toMatchObject({ calls: 9, textBacksSent: 4 });
      expect(reports.sources).not.toContain("Facebook Ads");
      expect(reports.firstReply.leads).toBe(8);
    });
  });

  describe("leads CSV", () => {
    it("has one row per lead in touch during the range, newest first, with attribution and the range's counts", async () => {
      const [header, ...rows] = await csvOf(db, ACME_OFFICE, acmeRange);
      expect(header).toEqual([...LEADS_CSV_HEADER]);
      const byLabel = new Map(HISTORY.map((lead) => [leadIds.get(lead.label)!, lead.label]));
      expect(rows.map((row) => byLabel.get(row[0]))).toEqual(["G", "E", "D", "H", "C", "F", "A", "B"]);
      const column = (name: (typeof LEADS_CSV_HEADER)[number]) => LEADS_CSV_HEADER.indexOf(name);
      const counts = rows.map((row) => [byLabel.get(row[0]), ...["Calls", "Missed calls", "Texts in", "Texts out"].map((name) => row[column(name as never)])]);
      expect(counts).toEqual([
        ["G", "1", "1", "0", "1"],
        ["E", "1", "1", "0", "0"],
        ["D", "1", "1", "1", "1"],
        ["H", "2", "1", "0", "1"],
        ["C", "1", "0", "0", "0"],
        ["F", "1", "0", "0", "1"],
        ["A", "1", "0", "0", "0"],
        ["B", "1", "1", "1", "2"],
      ]);
      const alice = rows.find((row) => byLabel.get(row[0]) === "A")!;
      expect(Object.fromEntries(LEADS_CSV_HEADER.map((name, i) => [name, alice[i]]))).toEqual({
        "Lead ID": leadIds.get("A"),
        Client: "Acme Plumbing",
        "Client ID": "acme-plumbing",
        Name: "Alice Plumb",
        Caller: "'+15125551001",
        Status: "Won",
        Value: "1200.50",
        Source: "Google Ads",
        Medium: "cpc",
        Campaign: "spring-sale",
        Term: "emergency plumber",
        "Click ID": "Cj0KCQiA-alice",
        "Click ID Type": "gclid",
        "Landing Page": "https://acmeplumbing.example/?utm_campaign=spring-sale&gclid=Cj0KCQiA-alice",
        Referrer: "https://www.google.com/",
        "Tracking number": "'+15125550100",
        "First contact (UTC)": "2025-02-20T10:00:00Z",
        "Last contact (UTC)": "2025-03-01T10:00:00Z",
        Calls: "1",
        "Missed calls": "0",
        "Texts in": "0",
        "Texts out": "0",
      });
    });

    it("keeps commas, quotes and line breaks inside one cell and turns formulas into text", async () => {
      const rows = await csvOf(db, ACME_OFFICE, acmeRange);
      const names = new Map(rows.map((row) => [row[0], row[LEADS_CSV_HEADER.indexOf("Name")]]));
      expect(names.get(leadIds.get("B")!)).toBe('Smith, "Bob"\nJr');
      expect(names.get(leadIds.get("C")!)).toBe(`'=HYPERLINK("http://evil.example")`);
      expect(names.get(leadIds.get("F")!)).toBe("'@SUM(A1)");
      const fred = rows.find((row) => row[0] === leadIds.get("F"))!;
      const cell = (name: (typeof LEADS_CSV_HEADER)[number]) => fred[LEADS_CSV_HEADER.indexOf(name)];
      expect([cell("Medium"), cell("Campaign"), cell("Landing Page")]).toEqual(["'+cpc", `'=HYPERLINK("http://evil.example","win")`, "'-2+3"]);
      // A lead without attribution has empty cells, not "null".
      const bob = rows.find((row) => row[0] === leadIds.get("B"))!;
      expect(["Medium", "Campaign", "Term", "Click ID", "Click ID Type", "Landing Page", "Referrer"].map((name) => bob[LEADS_CSV_HEADER.indexOf(name as never)])).toEqual(["", "", "", "", "", "", ""]);
      expect(rows.every((row) => row.length === LEADS_CSV_HEADER.length)).toBe(true);
    });

    it("reads page after page without losing or repeating a lead", async () => {
      const whole = await csvOf(db, ACME_OFFICE, acmeRange);
      const paged = await csvOf(db, ACME_OFFICE, acmeRange, 3);
      expect(paged).toEqual(whole);
    });

    it("never has another client's leads, whatever the URL or the code asks", async () => {
      const zed = leadIds.get("Z")!;
      for (const [viewer, range] of [
        [ACME_OFFICE, { ...RANGE, client: "bright-smiles" }],
        [ACME_CLAIMING_STAFF, acmeRange],
      ] as const) {
        const rows = await csvOf(db, viewer, range);
        expect(rows.map((row) => row[0])).not.toContain(zed);
        expect(rows.slice(1).every((row) => row[2] === "acme-plumbing")).toBe(true);
      }
      const everyone = await csvOf(db, AGENCY_OWNER, acmeRange);
      expect(everyone.map((row) => row[0])).toContain(zed);
      expect(everyone).toHaveLength(1 + 9);
    });
  });
}
