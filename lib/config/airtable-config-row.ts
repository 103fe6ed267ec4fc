import { z } from "zod";
import type { AirtableRecordLike } from "../airtable/airtable-base";
import { CONFIG_FIELDS } from "../airtable/config-fields";
import { normalizePhone } from "../phone/normalize-phone";
import { parseSwapRule } from "../tracking/swap-rule";
import {
  DEFAULT_MISSED_CALL_MAX_SECONDS,
  DEFAULT_RING_TIMEOUT_SECONDS,
  defaultTextBackMessage,
  type TrackingNumberConfig,
} from "./tracking-number-config";

function toE164(label: string, raw: string, ctx: z.RefinementCtx): string {
  const e164 = normalizePhone(raw);
  if (!e164) {
    ctx.addIssue({ code: "custom", message: `${label} "${raw}" is not a phone number` });
    return z.NEVER;
  }
  return e164;
}

const phone = (label: string) => z.string({ message: `${label} is missing` }).transform((raw, ctx) => toE164(label, raw, ctx));

// A cleared phone cell arrives as "" (or not at all); anything else must be a number.
const optionalPhone = (label: string) =>
  z
    .string()
    .transform((raw, ctx) => (raw.trim() === "" ? undefined : toE164(label, raw, ctx)))
    .optional();

const text = z.string().trim();

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** "https://www.Acme.com/contact" -> "www.acme.com"; undefined when no host name is left. */
function hostNameOf(entry: string): string | undefined {
  const host = URL.parse(/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `http://${entry}`)?.hostname.replace(/\.$/, "");
  return host && HOST_NAME.test(host) ? host : undefined;
}

/** A cell of several values, each read on its own: the first that does not read names the cell's error. */
const listOf = (label: string, separator: RegExp, read: (entry: string) => string | undefined, expected: string) =>
  z.string().transform((raw, ctx) => {
    const values = new Set<string>();
    for (const entry of raw.split(separator).map((part) => part.trim()).filter(Boolean)) {
      const value = read(entry);
      if (!value) {
        ctx.addIssue({ code: "custom", message: `${label} "${entry}" is not ${expected}` });
        return z.NEVER;
      }
      values.add(value);
    }
    return [...values];
  });

const wholeSeconds = (label: string, min: number, max: number) =>
  z.coerce.number({ message: `${label} must be a number of seconds` })
    .int(`${label} must be whole seconds`)
    .min(min, `${label} must be at least ${min} seconds`)
    .max(max, `${label} must be at most ${max} seconds`);

const F = CONFIG_FIELDS;

const swapRule = text.transform((raw, ctx) => {
  if (raw === "") return undefined;
  const parsed = parseSwapRule(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: `${F.swapRule} "${raw}" cannot be read: ${parsed.error}` });
    return z.NEVER;
  }
  return raw;
});

const airtableConfigFieldsSchema = z.object({
  [F.trackingNumber]: phone(F.trackingNumber),
  [F.clientId]: text.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, `${F.clientId} must be letters, digits, dots, dashes or underscores`),
  [F.clientName]: text.min(1).optional(),
  [F.primaryNumber]: phone(F.primaryNumber),
  [F.smsForwardNumber]: optionalPhone(F.smsForwardNumber),
  [F.textBackEnabled]: z.boolean().optional(),
  [F.textBackMessage]: text.max(1600).optional(),
  [F.source]: text.max(100, `${F.source} must be at most 100 characters`).optional(),
  [F.numberType]: z.enum(["Source", "Pool"]).optional(),
  [F.ringTimeout]: wholeSeconds(F.ringTimeout, 5, 600).optional(),
  [F.missedCallMaxSeconds]: wholeSeconds(F.missedCallMaxSeconds, 0, 3600).optional(),
  [F.active]: z.boolean().optional(),
  [F.voicemailOff]: z.boolean().optional(),
  [F.showTrackingNumber]: z.boolean().optional(),
  [F.pipelineBaseId]: z.union([z.literal(""), text.regex(/^app[A-Za-z0-9]{14}$/, `${F.pipelineBaseId} must look like app followed by 14 letters and digits`)]).optional(),
  [F.websiteDomains]: listOf(F.websiteDomains, /[\s,]+/, hostNameOf, "a host name such as acmeplumbing.com").optional(),
  [F.websiteNumbers]: listOf(F.websiteNumbers, /[,;\n]+/, (entry) => normalizePhone(entry), "a phone number").optional(),
  [F.swapRule]: swapRule.optional(),
  [F.fallbackNumber]: optionalPhone(F.fallbackNumber),
}).refine((row) => !row[F.swapRule] || row[F.source], { message: `${F.swapRule} needs a ${F.source}: the visits it matches count under that source` });

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
      websiteDomains: row[F.websiteDomains] ?? [],
      websiteNumbers: row[F.websiteNumbers] ?? [],
      swapRule: row[F.swapRule],
      fallbackNumber: row[F.fallbackNumber],
      airtableRecordId: record.id,
    },
  };
}
