import { z } from "zod";
import type { AirtableRecordLike } from "../airtable/airtable-base";
import { CONFIG_FIELDS } from "../airtable/config-fields";
import { normalizePhone } from "../phone/normalize-phone";
import {
  DEFAULT_MISSED_CALL_MAX_SECONDS,
  DEFAULT_RING_TIMEOUT_SECONDS,
  defaultTextBackMessage,
  type TrackingNumberConfig,
} from "./tracking-number-config";

const phone = (label: string) =>
  z.string({ message: `${label} is missing` }).transform((raw, ctx) => {
    const e164 = normalizePhone(raw);
    if (!e164) {
      ctx.addIssue({ code: "custom", message: `${label} "${raw}" is not a phone number` });
      return z.NEVER;
    }
    return e164;
  });

const optionalPhone = (label: string) => z.union([z.literal("").transform(() => undefined), phone(label)]).optional();

const text = z.string().trim();
const wholeSeconds = (label: string, min: number, max: number) =>
  z.coerce.number({ message: `${label} must be a number of seconds` })
    .int(`${label} must be whole seconds`)
    .min(min, `${label} must be at least ${min} seconds`)
    .max(max, `${label} must be at most ${max} seconds`);

const F = CONFIG_FIELDS;

const airtableConfigFieldsSchema = z.object({
  [F.trackingNumber]: phone(F.trackingNumber),
  [F.clientId]: text.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, `${F.clientId} must be letters, digits, dots, dashes or underscores`),
  [F.clientName]: text.min(1).optional(),
  [F.primaryNumber]: phone(F.primaryNumber),
  [F.smsForwardNumber]: optionalPhone(F.smsForwardNumber),
  [F.textBackEnabled]: z.boolean().optional(),
  [F.textBackMessage]: text.max(1600).optional(),
  [F.source]: text.optional(),
  [F.numberType]: z.enum(["Source", "Pool"]).optional(),
  [F.ringTimeout]: wholeSeconds(F.ringTimeout, 5, 600).optional(),
  [F.missedCallMaxSeconds]: wholeSeconds(F.missedCallMaxSeconds, 0, 3600).optional(),
  [F.active]: z.boolean().optional(),
  [F.voicemailOff]: z.boolean().optional(),
  [F.showTrackingNumber]: z.boolean().optional(),
  [F.pipelineBaseId]: z.union([z.literal(""), text.regex(/^app[A-Za-z0-9]{14}$/, `${F.pipelineBaseId} must look like app followed by 14 letters and digits`)]).optional(),
});

export type ParsedConfigRow = { ok: true; config: TrackingNumberConfig } | { ok: false; error: string };

/**
 * Validates and normalises one Client Configuration row. Airtable leaves unticked checkboxes out
 * of a record, so a missing Active means "off" only when the base has that column at all.
 */
export function parseAirtableConfigRow(record: AirtableRecordLike, options: { baseHasActiveColumn: boolean }): ParsedConfigRow {
  const parsed = airtableConfigFieldsSchema.safeParse(record.fields);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((issue) => issue.message).join("; ") };
  }
  const row = parsed.data;
  const clientName = row[F.clientName] ?? row[F.clientId];
  return {
    ok: true,
    config: {
      trackingNumber: row[F.trackingNumber],
      clientId: row[F.clientId],
      clientName,
      primaryNumber: row[F.primaryNumber],
      smsForwardNumber: row[F.smsForwardNumber] ?? row[F.primaryNumber],
      textBackEnabled: row[F.textBackEnabled] ?? false,
      textBackMessage: row[F.textBackMessage] || defaultTextBackMessage(clientName),
      source: row[F.source] || undefined,
      numberType: row[F.numberType] ?? "Source",
      ringTimeoutSeconds: row[F.ringTimeout] ?? DEFAULT_RING_TIMEOUT_SECONDS,
      missedCallMaxSeconds: row[F.missedCallMaxSeconds] ?? DEFAULT_MISSED_CALL_MAX_SECONDS,
      voicemailEnabled: !(row[F.voicemailOff] ?? false),
      showTrackingNumber: row[F.showTrackingNumber] ?? false,
      active: options.baseHasActiveColumn ? row[F.active] === true : true,
      pipelineBaseId: row[F.pipelineBaseId] || undefined,
      airtableRecordId: record.id,
    },
  };
}
