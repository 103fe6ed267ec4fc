import type { AirtableRecordLike } from "../airtable/airtable-base";
import { CONFIG_FIELDS as F } from "../airtable/config-fields";
import { normalizePhone } from "../phone/normalize-phone";
import { parseAirtableConfigRow } from "./airtable-config-row";
import type { TrackingNumberConfig } from "./tracking-number-config";

/** A Client Configuration row that cannot route: malformed, a second row for a number, or a loop. */
export type RefusedConfigRow = {
  recordId: string;
  /** The client as the row names it, for people. */
  client: string;
  /** The Tracking Number cell as typed, for people. */
  number: string;
  /** The Tracking Number in E.164 when that cell still parses. */
  trackingNumber?: string;
  /** The base has an Active column and this row's box is not ticked. */
  unticked: boolean;
  error: string;
};

export type ConfigRows = {
  configs: TrackingNumberConfig[];
  refused: RefusedConfigRow[];
  /** Every tracking number the rows were checked against: the table's and `otherTrackingNumbers`. */
  trackingNumbers: ReadonlySet<string>;
};

/**
 * Validates every row of the Client Configuration table together, since a row is only good in
 * the company of the others: its number must not already be on another row, and it must not
 * forward to any tracking number (the table's, or `otherTrackingNumbers`, those Leadline routes
 * already), which would dial or relay back into Leadline.
 */
export function readConfigRows(
  records: AirtableRecordLike[],
  options: { baseHasActiveColumn: boolean; otherTrackingNumbers?: Iterable<string> },
): ConfigRows {
  const trackingNumbers = new Set(options.otherTrackingNumbers);
  for (const record of records) {
    const trackingNumber = trackingNumberOf(record);
    if (trackingNumber) trackingNumbers.add(trackingNumber);
  }

  const configs = new Map<string, TrackingNumberConfig>();
  const refused: RefusedConfigRow[] = [];
  for (const record of records) {
    const parsed = parseAirtableConfigRow(record, options);
    const error = !parsed.ok
      ? parsed.error
      : configs.has(parsed.config.trackingNumber)
        ? `${parsed.config.trackingNumber} is already on another row`
        : findRoutingLoop(parsed.config, trackingNumbers);
    if (error) refused.push(refusedRow(record, error, options.baseHasActiveColumn));
    else if (parsed.ok) configs.set(parsed.config.trackingNumber, parsed.config);
  }
  return { configs: [...configs.values()], refused, trackingNumbers };
}

/**
 * Why a config would loop, or undefined: a Primary Number that is a tracking number makes each
 * call dial Leadline again, and an SMS Forward Number that is one relays every text back in.
 */
export function findRoutingLoop(
  config: Pick<TrackingNumberConfig, "trackingNumber" | "primaryNumber" | "smsForwardNumber">,
  trackingNumbers: ReadonlySet<string>,
): string | undefined {
  const whose = (number: string) => (number === config.trackingNumber ? "this row's own tracking number" : "a tracking number");
  if (trackingNumbers.has(config.primaryNumber) || config.primaryNumber === config.trackingNumber) {
    return `Primary Number ${config.primaryNumber} is ${whose(config.primaryNumber)}, so calls would be forwarded back to Leadline in a loop`;
  }
  if (trackingNumbers.has(config.smsForwardNumber) || config.smsForwardNumber === config.trackingNumber) {
    return `SMS Forward Number ${config.smsForwardNumber} is ${whose(config.smsForwardNumber)}, so texts would be relayed back to Leadline in a loop`;
  }
  return undefined;
}

/** A refused row in plain words, for `npm run airtable:check` and logs. */
export function describeRefusedRow(row: RefusedConfigRow): string {
  return `Row ${row.recordId} (${row.client}, ${row.number}): ${row.error}.`;
}

function refusedRow(record: AirtableRecordLike, error: string, baseHasActiveColumn: boolean): RefusedConfigRow {
  const name = record.fields[F.clientName] || record.fields[F.clientId] || "no client";
  const number = record.fields[F.trackingNumber] || "no tracking number";
  return {
    recordId: record.id,
    client: String(name),
    number: String(number),
    trackingNumber: trackingNumberOf(record),
    unticked: baseHasActiveColumn && record.fields[F.active] !== true,
    error,
  };
}

function trackingNumberOf(record: AirtableRecordLike): string | undefined {
  const raw = record.fields[F.trackingNumber];
  return typeof raw === "string" ? normalizePhone(raw) : undefined;
}
