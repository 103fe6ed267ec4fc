import type { AirtableRecordLike } from "../airtable/airtable-base";
import { CONFIG_FIELDS as F } from "../airtable/config-fields";
import { parseAirtableConfigRow } from "../config/airtable-config-row";
import { describeRefusedRow, findRoutingLoop, readConfigRows } from "../config/read-config-rows";
import type { ProvisionOptions } from "./provision-options";

// What a client's rows share whatever the number: copied from one of its rows into each new one.
// Source, Number Type, Swap Rule and Fallback Number belong to a number's source, not the client.
const CLIENT_FIELDS = [
  F.clientName,
  F.primaryNumber,
  F.smsForwardNumber,
  F.textBackEnabled,
  F.textBackMessage,
  F.ringTimeout,
  F.missedCallMaxSeconds,
  F.voicemailOff,
  F.showTrackingNumber,
  F.pipelineBaseId,
  F.websiteDomains,
  F.websiteNumbers,
];

// Any well-formed number: the rows are checked before a number is bought, and nothing in them
// depends on which number it will be.
const SOME_TRACKING_NUMBER = "+12025550100";

export type RowPlan = {
  clientName: string;
  /** Every field of each new row but its Tracking Number. */
  fields: Record<string, unknown>;
  /** The client's row the shared fields were copied from, if it had one. */
  copiedFrom?: string;
};

/** A new row of the plan, for one bought number. */
export const newRowFields = (plan: RowPlan, trackingNumber: string): Record<string, unknown> => ({ [F.trackingNumber]: trackingNumber, ...plan.fields });

/**
 * The Client Configuration rows to add for the client's new numbers: what its rows share, copied
 * from its first active Source row (else any of its rows that routes), with the flags given put
 * over them, then the source, the number type and a ticked Active. Checked as the sync will check
 * them before anything is bought: a row that would be refused, or would forward into Leadline in a
 * loop, is an error here. Also returns the table's tracking numbers, which are not to be bought again.
 */
export function planNewRows(
  options: ProvisionOptions,
  table: { records: AirtableRecordLike[]; baseHasActiveColumn: boolean },
): { ok: true; plan: RowPlan; trackingNumbers: ReadonlySet<string> } | { ok: false; error: string } {
  const { configs, refused, trackingNumbers } = readConfigRows(table.records, { baseHasActiveColumn: table.baseHasActiveColumn });
  const own = configs.filter((config) => config.clientId === options.clientId);
  const template = own.find((config) => config.active && config.numberType === "Source") ?? own.find((config) => config.active) ?? own[0];
  const templateRecord = template && table.records.find((record) => record.id === template.airtableRecordId);

  if (!templateRecord && (!options.clientName || !options.primaryNumber)) {
    const unreadable = refused.filter((row) => table.records.find((record) => record.id === row.recordId)?.fields[F.clientId] === options.clientId);
    if (unreadable.length > 0) {
      return {
        ok: false,
        error: `No row of ${options.clientId} can be copied, each is refused:\n${unreadable.map((row) => `  ${describeRefusedRow(row)}`).join("\n")}\nFix them in Airtable, or give --name and --primary.`,
      };
    }
    const known = [...new Set(configs.map((config) => config.clientId))].sort();
    return {
      ok: false,
      error:
        `No row has Client ID "${options.clientId}". For a new client give its name and number: --name "Acme Plumbing" --primary +15125550100 (and --sms-forward for texts, if not the primary).` +
        (known.length > 0 ? ` Client IDs in the table: ${known.join(", ")}.` : ""),
    };
  }

  const copied = Object.fromEntries(CLIENT_FIELDS.flatMap((field) => (templateRecord && field in templateRecord.fields ? [[field, templateRecord.fields[field]]] : [])));
  const fields: Record<string, unknown> = {
    [F.clientId]: options.clientId,
    ...copied,
    ...(options.clientName && { [F.clientName]: options.clientName }),
    ...(options.primaryNumber && { [F.primaryNumber]: options.primaryNumber }),
    ...(options.smsForwardNumber && { [F.smsForwardNumber]: options.smsForwardNumber }),
    ...(options.source && { [F.source]: options.source }),
    [F.numberType]: options.numberType,
    ...(table.baseHasActiveColumn && { [F.active]: true }),
  };

  const parsed = parseAirtableConfigRow({ id: "new", fields: { [F.trackingNumber]: SOME_TRACKING_NUMBER, ...fields } }, table);
  if (!parsed.ok) return { ok: false, error: `The new rows would be refused: ${parsed.error}` };
  const loop = findRoutingLoop(parsed.config, trackingNumbers);
  if (loop) return { ok: false, error: `The new rows would be refused: ${loop}` };
  return { ok: true, plan: { clientName: parsed.config.clientName, fields, copiedFrom: templateRecord?.id }, trackingNumbers };
}
