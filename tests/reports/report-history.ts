// A small, known history for the reports, written straight into the tables as the webhooks would
// (the role that bypasses RLS): Acme Plumbing's leads around 1–3 March 2025, and one Bright Smiles
// lead on the same days that Acme must never count. Every number the scenarios expect is worked
// out by hand from this list, in the comments beside each lead.
import type { Database } from "@/lib/db/database";
import { sid } from "../support/twilio-webhook";

export const ACME = { id: "acme-plumbing", trackingNumber: "+15125550100" };
export const BRIGHT = { id: "bright-smiles", trackingNumber: "+17375550200" };

type Contact =
  | { call: string; outcome: "answered" | "missed" | null; missedReason?: string }
  | { text: string; author: "lead" | "client" | "auto" };

/** A lead's first touch beyond its source, as the tracking script reports it. */
export type HistoryTouch = {
  medium: string;
  campaign: string;
  term?: string;
  clickId?: string;
  clickIdType?: string;
  landingPage: string;
  referrer?: string;
};

export type HistoryLead = {
  label: string;
  client: typeof ACME;
  caller: string;
  source: string | null;
  touch?: HistoryTouch;
  name?: string;
  value?: string;
  status?: string;
  contacts: Contact[];
};

export const HISTORY: HistoryLead[] = [
  {
    // First contact in February: its call on 1 March is a repeat, answered at once (0 s). The
    // calls just outside the range and the February reply are never counted.
    label: "A",
    client: ACME,
    caller: "+15125551001",
    source: "Google Ads",
    touch: {
      medium: "cpc",
      campaign: "spring-sale",
      term: "emergency plumber",
      clickId: "Cj0KCQiA-alice",
      clickIdType: "gclid",
      landingPage: "https://acmeplumbing.example/?utm_campaign=spring-sale&gclid=Cj0KCQiA-alice",
      referrer: "https://www.google.com/",
    },
    name: "Alice Plumb",
    value: "1200.50",
    status: "Won",
    contacts: [
      { call: "2025-02-20T10:00:00Z", outcome: "answered" },
      { text: "2025-02-21T10:00:00Z", author: "client" },
      { call: "2025-02-28T23:59:59Z", outcome: "answered" },
      { call: "2025-03-01T10:00:00Z", outcome: "answered" },
    ],
  },
  {
    // New, missed, texted back, texts in (answers the text-back), the client replies 40 min after the call.
    label: "B",
    client: ACME,
    caller: "+15125551002",
    source: "Website",
    name: 'Smith, "Bob"\nJr',
    contacts: [
      { call: "2025-03-01T09:00:00Z", outcome: "missed", missedReason: "no-answer" },
      { text: "2025-03-01T09:01:00Z", author: "auto" },
      { text: "2025-03-01T09:30:00Z", author: "lead" },
      { text: "2025-03-01T09:40:00Z", author: "client" },
    ],
  },
  {
    // New and missed; calls back 8 days later (answered): too late to answer the text-back, 8 d to reply.
    label: "G",
    client: ACME,
    caller: "+15125551007",
    source: "Yelp",
    contacts: [
      { call: "2025-03-01T15:00:00Z", outcome: "missed", missedReason: "busy" },
      { text: "2025-03-01T15:01:00Z", author: "auto" },
      { call: "2025-03-09T15:00:00Z", outcome: "answered" },
    ],
  },
  {
    // New and answered at once.
    label: "C",
    client: ACME,
    caller: "+15125551003",
    source: "Google Ads",
    name: '=HYPERLINK("http://evil.example")',
    contacts: [{ call: "2025-03-02T14:00:00Z", outcome: "answered" }],
  },
  {
    // New, the outcome not settled yet; the client texts 3 min later.
    label: "F",
    client: ACME,
    caller: "+15125551006",
    source: "Google Ads",
    // A stranger's URL chose these: a spreadsheet must see text, not formulas.
    touch: { medium: "+cpc", campaign: '=HYPERLINK("http://evil.example","win")', landingPage: "-2+3" },
    name: "@SUM(A1)",
    contacts: [
      { call: "2025-03-02T12:00:00Z", outcome: null },
      { text: "2025-03-02T12:03:00Z", author: "client" },
    ],
  },
  {
    // New and missed; calls back the same evening and is answered: text-back answered, 9 h to reply.
    label: "H",
    client: ACME,
    caller: "+15125551008",
    source: "Website",
    contacts: [
      { call: "2025-03-02T09:00:00Z", outcome: "missed", missedReason: "too-short" },
      { text: "2025-03-02T09:01:00Z", author: "auto" },
      { call: "2025-03-02T18:00:00Z", outcome: "answered" },
    ],
  },
  {
    // First contact a text, so the missed call after it is a repeat; nobody ever answers.
    label: "D",
    client: ACME,
    caller: "+15125551004",
    source: null,
    contacts: [
      { text: "2025-03-02T20:00:00Z", author: "lead" },
      { call: "2025-03-03T08:00:00Z", outcome: "missed", missedReason: "no-answer" },
      { text: "2025-03-03T08:01:00Z", author: "auto" },
    ],
  },
  {
    // The range's last second, abandoned (missed); its text-back falls after the range; answered
    // on a callback 34 h later.
    label: "E",
    client: ACME,
    caller: "+15125551005",
    source: "Website",
    contacts: [
      { call: "2025-03-03T23:59:59Z", outcome: "missed", missedReason: "abandoned" },
      { text: "2025-03-04T00:00:30Z", author: "auto" },
      { call: "2025-03-05T10:00:00Z", outcome: "answered" },
    ],
  },
  {
    // In touch before and after the range but not in it: in no report and no export of the range.
    label: "Gap",
    client: ACME,
    caller: "+15125551009",
    source: "Website",
    contacts: [
      { call: "2025-02-10T10:00:00Z", outcome: "answered" },
      { call: "2025-03-20T10:00:00Z", outcome: "answered" },
    ],
  },
  {
    // Bright Smiles: a missed call, texted back, texts back; nobody replies.
    label: "Z",
    client: BRIGHT,
    caller: "+17375551001",
    source: "Facebook Ads",
    name: "Zed Bright",
    contacts: [
      { call: "2025-03-01T11:00:00Z", outcome: "missed", missedReason: "no-answer" },
      { text: "2025-03-01T11:01:00Z", author: "auto" },
      { text: "2025-03-01T11:05:00Z", author: "lead" },
    ],
  },
];

export const RANGE = { from: "2025-03-01", to: "2025-03-03" };

/** Writes the history; returns each lead's id by label. A lead's first and last contact are its inbound ones, as the webhooks keep them. */
export async function writeHistory(db: Database): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const lead of HISTORY) {
    const inbound = lead.contacts.filter((c) => "call" in c || c.author === "lead").map((c) => ("call" in c ? c.call : c.text)).sort();
    const [row] = await db.query<{ id: string }>(
      `insert into public.leads (lead_key, client_id, caller, tracking_number, source, name, value, status, first_contact_at, last_contact_at,
                                 medium, campaign, term, click_id, click_id_type, landing_page, referrer)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning id`,
      [
        `${lead.client.id}:${lead.caller}`,
        lead.client.id,
        lead.caller,
        lead.client.trackingNumber,
        lead.source,
        lead.name ?? null,
        lead.value ?? null,
        lead.status ?? "New",
        inbound[0],
        inbound.at(-1),
        lead.touch?.medium ?? null,
        lead.touch?.campaign ?? null,
        lead.touch?.term ?? null,
        lead.touch?.clickId ?? null,
        lead.touch?.clickIdType ?? null,
        lead.touch?.landingPage ?? null,
        lead.touch?.referrer ?? null,
      ],
    );
    ids.set(lead.label, row.id);
    for (const contact of lead.contacts) {
      if ("call" in contact) {
        await db.query(
          `insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, status, outcome, missed_reason, started_at)
           values ($1, $2, $3, $4, $5, 'completed', $6, $7, $8)`,
          [sid("CA"), lead.client.id, row.id, lead.client.trackingNumber, lead.caller, contact.outcome, contact.missedReason ?? null, contact.call],
        );
      } else {
        await db.query(
          `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, 'text', $8)`,
          [sid("SM"), lead.client.id, row.id, contact.author === "lead" ? "inbound" : "outbound", contact.author, lead.client.trackingNumber, lead.caller, contact.text],
        );
      }
    }
  }
  return ids;
}
