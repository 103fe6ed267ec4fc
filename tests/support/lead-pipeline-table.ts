import { baseSchema, handMadeFields } from "@/lib/airtable/base-schema";
import type { FieldSpec } from "./stand-ins/airtable/model";

export const LEAD_PIPELINE_TABLE = "Lead Pipeline";

const tables = { configTable: "Client Configuration", leadsTable: LEAD_PIPELINE_TABLE };

/**
 * The Lead Pipeline table exactly as `npm run airtable:setup` creates it, plus the "Status Modified"
 * last-modified-time field staff add by hand (Airtable's API cannot create it).
 */
export const LEAD_PIPELINE_FIELDS: FieldSpec[] = [
  ...baseSchema(tables).find((table) => table.name === LEAD_PIPELINE_TABLE)!.fields,
  ...handMadeFields(tables).map(({ field }) => ({ ...field, options: { referencedFieldIds: ["Status"] } })),
];
