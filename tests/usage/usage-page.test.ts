// /usage is for agency staff: the page, its CSV download and the markup form. A client user gets a
// 404 from each, and the CSV keeps a client name that looks like a formula as text.
import { getAccessFallbackHTTPStatus, isHTTPAccessFallbackError } from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/(dashboard)/usage/export/route";
import { saveMarkup } from "@/app/(dashboard)/usage/actions";
import UsagePage from "@/app/(dashboard)/usage/page";
import type { Viewer } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { USAGE_CSV_HEADER } from "@/lib/usage/export-usage-csv";
import { applyTwilioCharges } from "@/lib/reconcile/reconcile-usage";
import { inboundSmsSchema } from "@/lib/sms/inbound-sms";
import { relayInboundSms } from "@/lib/sms/relay-inbound-sms";
import { currentUsageMonth, shiftUsageMonth } from "@/lib/usage/usage-month";
import { renderPage } from "../auth/render-page";
import { parseCsv } from "../reports/parse-csv";
import { ACME_OFFICE, AGENCY_OWNER } from "../support/seeded-viewers";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

const signedIn = vi.hoisted(() => ({ viewer: null as Viewer | null }));
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/auth/get-viewer", () => ({
  getViewer: async () => signedIn.viewer,
  requireViewer: async () => {
    if (!signedIn.viewer) throw new Error("signed out");
    return signedIn.viewer;
  },
}));
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => revalidated.push(path) }));

const FORMULA_NAME = '=HYPERLINK("https://evil.example","Click")';
const MONTH = currentUsageMonth(new Date());

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
  await addTrackingNumber({ clientId: "formula-client", clientName: FORMULA_NAME });
});
beforeEach(() => {
  signedIn.viewer = null;
});

const page = (month?: string) => UsagePage({ searchParams: Promise.resolve(month === undefined ? {} : { month }) });
const download = (query: string) => GET(new Request(`http://localhost/usage/export${query}`));
const markup = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return saveMarkup({}, form);
};

describe("the usage page", () => {
  it("shows agency staff each client's month with its markup form, this month by default", async () => {
    signedIn.viewer = AGENCY_OWNER;
    const html = await renderPage(page());

    expect(html).toContain(`type="month" required="" max="${MONTH}"`);
    expect(html).toContain(`name="month" value="${MONTH}"`);
    for (const column of ["Inbound minutes", "Forwarded minutes", "SMS segments in", "MMS out", "Number-days", "Twilio cost", "Not priced yet", "Markup", "Invoice total"]) {
      expect(html).toContain(`>${column}</th>`);
    }
    expect(html).toContain(">Acme Plumbing</th>");
    expect(html).toContain('<label for="markup-acme-plumbing" class="sr-only">Markup for Acme Plumbing, in percent</label>');
    expect(html).toContain("rounded up on their own (a 61-second call is 2");
    expect(html).toContain(`href="/usage/export?month=${MONTH}"`);
  });

  it("says when the month in the URL cannot be used, and shows this month", async () => {
    signedIn.viewer = AGENCY_OWNER;
    const html = await renderPage(page("2026-13"));
    expect(html).toContain("That month could not be used (month must be a month like 2026-11); showing this month instead.");
    expect(html).toContain(`value="${MONTH}"`);
  });

  it("is not found for a client user", async () => {
    signedIn.viewer = ACME_OFFICE;
    const refused = await page().then(
      () => null,
      (error: unknown) => error,
    );
    expect(isHTTPAccessFallbackError(refused) && getAccessFallbackHTTPStatus(refused)).toBe(404);
  });
});

describe("GET /usage/export", () => {
  it("is a 401 for someone signed out and a 404 for a client user, with no numbers", async () => {
    expect((await download(`?month=${MONTH}`)).status).toBe(401);
    signedIn.viewer = ACME_OFFICE;
    const response = await download(`?month=${MONTH}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(",");
  });

  it("is a 400 that says why for a month it cannot use", async () => {
    signedIn.viewer = AGENCY_OWNER;
    const response = await download("?month=November");
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("Cannot export: month must be a month like 2026-11.\n");
  });

  it("downloads the month for staff as a CSV named after it, a client name that looks like a formula kept as text", async () => {
    signedIn.viewer = AGENCY_OWNER;
    const response = await download(`?month=${MONTH}`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="leadline-usage-${MONTH}.csv"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const [header, ...rows] = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
    expect(header).toEqual(USAGE_CSV_HEADER);
    const formulaRow = rows.find((row) => row[USAGE_CSV_HEADER.indexOf("Client ID")] === "formula-client")!;
    expect(formulaRow[USAGE_CSV_HEADER.indexOf("Client")]).toBe(`'${FORMULA_NAME}`);
  });
});

describe("a month Twilio priced in two currencies", () => {
  it("shows the client's cost as not added up, and leaves the CSV's cost and total empty", async () => {
    signedIn.viewer = AGENCY_OWNER;
    const config = await addTrackingNumber({ clientId: "abroad-client", clientName: "Abroad Co" });
    const month = shiftUsageMonth(MONTH, 2);
    const texts = [sid("SM"), sid("SM")];
    for (const messageSid of texts) {
      await relayInboundSms(inboundSmsSchema.parse({ MessageSid: messageSid, From: phoneNumber(), To: config.trackingNumber, Body: "hi", NumSegments: "1" }), new Date(`${month}-15T12:00:00Z`));
    }
    const db = await getDatabase();
    await applyTwilioCharges(db, [
      { sid: texts[0], price: "0.0079", priceUnit: "USD" },
      { sid: texts[1], price: "0.0600", priceUnit: "EUR" },
    ]);

    const html = await renderPage(page(month));
    expect(html).toMatch(/>Abroad Co<\/th>(<td[^>]*>[^<]*<\/td>){7}<td[^>]*>in EUR and USD: not added up<\/td>/);
    const [header, ...rows] = parseCsv((await (await download(`?month=${month}`)).text()).replace(/^\uFEFF/, ""));
    const abroad = rows.find((row) => row[header.indexOf("Client ID")] === "abroad-client")!;
    expect([abroad[header.indexOf("Currency")], abroad[header.indexOf("Twilio cost")], abroad[header.indexOf("Invoice total")]]).toEqual(["EUR USD", "", ""]);
  });
});

describe("the markup form", () => {
  it("saves a staff member's markup and refreshes the page", async () => {
    signedIn.viewer = AGENCY_OWNER;
    expect(await markup({ clientId: "bright-smiles", markupPercent: " 12.5 " })).toEqual({ ok: true, message: "Bright Smiles Dental: markup set to 12.5%." });
    expect(revalidated).toContain("/usage");
    const db = await getDatabase();
    expect(await db.query("select markup_percent::text as markup from public.client_billing where client_id = 'bright-smiles'")).toEqual([{ markup: "12.50" }]);
    expect(await markup({ clientId: "bright-smiles", markupPercent: "" })).toEqual({ ok: true, message: "Bright Smiles Dental: markup set to 0%." });
  });

  it.each([
    ["not a number", "twenty", "Give the markup as a percentage such as 20 or 12.5, with at most two decimals."],
    ["negative", "-5", "Give the markup as a percentage such as 20 or 12.5, with at most two decimals."],
    ["three decimals", "1.125", "Give the markup as a percentage such as 20 or 12.5, with at most two decimals."],
    ["over 1,000%", "1500", "A markup can be at most 1,000%."],
  ])("refuses a markup that is %s, saying what to give instead", async (_name, markupPercent, message) => {
    signedIn.viewer = AGENCY_OWNER;
    expect(await markup({ clientId: "acme-plumbing", markupPercent })).toEqual({ ok: false, message });
  });

  it("refuses a client that does not exist, and a client user", async () => {
    signedIn.viewer = AGENCY_OWNER;
    expect(await markup({ clientId: "no-such-client", markupPercent: "10" })).toEqual({ ok: false, message: "That client no longer exists. Reload the page." });
    signedIn.viewer = ACME_OFFICE;
    expect(await markup({ clientId: "acme-plumbing", markupPercent: "0" })).toEqual({ ok: false, message: "Only agency staff can set a markup." });
    const db = await getDatabase();
    expect(await db.query("select 1 from public.client_billing where client_id in ('acme-plumbing', 'no-such-client')")).toEqual([]);
  });
});
