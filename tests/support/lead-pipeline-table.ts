import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import type { FieldSpec } from "./stand-ins/airtable/model";

export const LEAD_PIPELINE_TABLE = "Lead Pipeline";
export const PIPELINE_STATUSES = ["New", "Contacted", "Qualified", "Won", "Lost", "Spam"];

const count = (name: string): FieldSpec => ({ name, type: "number", options: { precision: 0 } });
const when = (name: string): FieldSpec => ({
  name,
  type: "dateTime",
  options: { dateFormat: { name: "iso" }, timeFormat: { name: "24hour" }, timeZone: "utc" },
});

/**
 * The Lead Pipeline table with Airtable's field types, as `npm run airtable:setup` will create it,
 * plus the "Status Modified" last-modified-time field staff add by hand.
 */
export const LEAD_PIPELINE_FIELDS: FieldSpec[] = [
  F.leadKey,
  F.clientId,
  F.caller,
  F.trackingNumber,
  F.source,
  when(F.firstContact),
  when(F.lastContact),
  F.lastActivity,
  { name: F.lastMessage, type: "multilineText" },
  count(F.calls),
  count(F.texts),
  count(F.missedCalls),
  { name: F.status, type: "singleSelect", options: { choices: PIPELINE_STATUSES.map((name) => ({ name })) } },
  { name: F.statusModified, type: "lastModifiedTime", options: { referencedFieldIds: [F.status] } },
];
