import { CONFIG_FIELDS as C } from "./config-fields";
import { PIPELINE_FIELDS as P, PIPELINE_STATUSES } from "./pipeline-fields";

export type FieldType = "singleLineText" | "multilineText" | "phoneNumber" | "url" | "number" | "checkbox" | "dateTime" | "singleSelect" | "lastModifiedTime";
export type FieldSchema = { name: string; type: FieldType; options?: Record<string, unknown>; description?: string };
export type TableSchema = { name: string; description: string; fields: FieldSchema[] };

// Each option below is one the Meta API requires for that type.
const text = (name: string, description?: string): FieldSchema => ({ name, type: "singleLineText", description });
const phone = (name: string): FieldSchema => ({ name, type: "phoneNumber" });
const checkbox = (name: string, description: string): FieldSchema => ({ name, type: "checkbox", options: { icon: "check", color: "greenBright" }, description });
const wholeNumber = (name: string, description?: string): FieldSchema => ({ name, type: "number", options: { precision: 0 }, description });
const when = (name: string): FieldSchema => ({
  name,
  type: "dateTime",
  options: { dateFormat: { name: "iso" }, timeFormat: { name: "24hour" }, timeZone: "utc" },
});

/** The agency's base: what `npm run airtable:setup` creates and `npm run airtable:check` expects. */
export function baseSchema(tables: { configTable: string; leadsTable: string }): TableSchema[] {
  return [
    {
      name: tables.configTable,
      description: "One row per tracking number: who it belongs to and where calls and texts go.",
      fields: [
        text(C.trackingNumber, "The Twilio number, e.g. +15125550100"),
        text(C.clientId, "Short id: letters, digits, dashes"),
        text(C.clientName),
        phone(C.primaryNumber),
        phone(C.smsForwardNumber),
        checkbox(C.textBackEnabled, "Text back callers we miss"),
        { name: C.textBackMessage, type: "multilineText" },
        text(C.source, "e.g. Google Ads"),
        { name: C.numberType, type: "singleSelect", options: { choices: [{ name: "Source" }, { name: "Pool" }] } },
        wholeNumber(C.ringTimeout, "Seconds to ring the client before voicemail (default 20)"),
        wholeNumber(C.missedCallMaxSeconds, "Answered calls shorter than this count as missed (default 15; 0 turns it off)"),
        checkbox(C.active, "Unticked numbers stop routing"),
        checkbox(C.voicemailOff, "No voicemail after a missed call"),
        checkbox(C.showTrackingNumber, "Show the client the tracking number instead of the caller"),
        text(C.pipelineBaseId, "Optional: the client's own base for its Lead Pipeline"),
        text(C.websiteDomains, "Sites that may show this client's tracking numbers, e.g. acmeplumbing.com, acme.example"),
        { name: C.websiteNumbers, type: "multilineText", description: "Numbers printed on the site to swap, one per line (default: the Primary Number)" },
        text(C.swapRule, "Optional: a visit rule for this row, e.g. utm_campaign=spring-sale or landing contains /promo"),
        phone(C.fallbackNumber),
      ],
    },
    {
      name: tables.leadsTable,
      description: "One row per lead (client and caller), kept up to date by Leadline.",
      fields: [
        text(P.leadKey),
        text(P.clientId),
        text(P.caller),
        text(P.trackingNumber),
        text(P.source),
        text(P.medium),
        text(P.campaign),
        text(P.term),
        text(P.clickId),
        { name: P.landingPage, type: "url" },
        when(P.firstContact),
        when(P.lastContact),
        text(P.lastActivity),
        { name: P.lastMessage, type: "multilineText" },
        wholeNumber(P.calls),
        wholeNumber(P.texts),
        wholeNumber(P.missedCalls),
        { name: P.status, type: "singleSelect", options: { choices: PIPELINE_STATUSES.map((name) => ({ name })) } },
      ],
    },
  ];
}

/** Computed fields Airtable's API cannot create: the check asks for them to be added by hand. */
export function handMadeFields(tables: { leadsTable: string }): { table: string; field: FieldSchema; how: string }[] {
  return [
    {
      table: tables.leadsTable,
      field: { name: P.statusModified, type: "lastModifiedTime" },
      how: `add a "Last modified time" field named "${P.statusModified}" that watches only the Status field`,
    },
  ];
}
