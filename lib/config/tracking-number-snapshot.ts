import type { Queryable } from "../db/database";
import { defaultTextBackMessage, type TrackingNumberConfig } from "./tracking-number-config";

type SnapshotRow = {
  phone_number: string;
  client_id: string;
  client_name: string;
  primary_number: string;
  sms_forward_number: string | null;
  text_back_enabled: boolean;
  text_back_message: string | null;
  source: string | null;
  number_type: "Source" | "Pool";
  ring_timeout_seconds: number;
  missed_call_max_seconds: number;
  voicemail_enabled: boolean;
  show_tracking_number: boolean;
  active: boolean;
  pipeline_base_id: string | null;
  website_domains: string[];
  website_numbers: string[];
  swap_rule: string | null;
  fallback_number: string | null;
  airtable_record_id: string | null;
};

export async function readTrackingNumberSnapshot(db: Queryable, trackingNumber: string): Promise<TrackingNumberConfig | undefined> {
  const [row] = await db.query<SnapshotRow>(
    `select t.*, c.name as client_name
       from public.tracking_numbers t join public.clients c on c.id = t.client_id
      where t.phone_number = $1`,
    [trackingNumber],
  );
  if (!row) return undefined;
  return {
    trackingNumber: row.phone_number,
    clientId: row.client_id,
    clientName: row.client_name,
    primaryNumber: row.primary_number,
    smsForwardNumber: row.sms_forward_number ?? row.primary_number,
    textBackEnabled: row.text_back_enabled,
    textBackMessage: row.text_back_message ?? defaultTextBackMessage(row.client_name),
    source: row.source ?? undefined,
    numberType: row.number_type,
    ringTimeoutSeconds: row.ring_timeout_seconds,
    missedCallMaxSeconds: row.missed_call_max_seconds,
    voicemailEnabled: row.voicemail_enabled,
    showTrackingNumber: row.show_tracking_number,
    active: row.active,
    pipelineBaseId: row.pipeline_base_id ?? undefined,
    websiteDomains: row.website_domains,
    websiteNumbers: row.website_numbers,
    swapRule: row.swap_rule ?? undefined,
    fallbackNumber: row.fallback_number ?? undefined,
    airtableRecordId: row.airtable_record_id ?? undefined,
  };
}

export async function saveTrackingNumberSnapshot(db: Queryable, config: TrackingNumberConfig): Promise<void> {
  await db.query(
    `insert into public.clients (id, name) values ($1, $2)
     on conflict (id) do update set name = excluded.name`,
    [config.clientId, config.clientName],
  );
  await db.query(
    `insert into public.tracking_numbers (phone_number, client_id, primary_number, sms_forward_number, text_back_enabled,
        text_back_message, source, number_type, ring_timeout_seconds, missed_call_max_seconds, voicemail_enabled,
        show_tracking_number, active, airtable_record_id, pipeline_base_id, website_domains, website_numbers, swap_rule,
        fallback_number, synced_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, now())
     on conflict (phone_number) do update set
        client_id = excluded.client_id, primary_number = excluded.primary_number,
        sms_forward_number = excluded.sms_forward_number, text_back_enabled = excluded.text_back_enabled,
        text_back_message = excluded.text_back_message, source = excluded.source, number_type = excluded.number_type,
        ring_timeout_seconds = excluded.ring_timeout_seconds, missed_call_max_seconds = excluded.missed_call_max_seconds,
        voicemail_enabled = excluded.voicemail_enabled, show_tracking_number = excluded.show_tracking_number,
        active = excluded.active, airtable_record_id = excluded.airtable_record_id,
        pipeline_base_id = excluded.pipeline_base_id, website_domains = excluded.website_domains,
        website_numbers = excluded.website_numbers, swap_rule = excluded.swap_rule,
        fallback_number = excluded.fallback_number, synced_at = now()`,
    [
      config.trackingNumber,
      config.clientId,
      config.primaryNumber,
      config.smsForwardNumber === config.primaryNumber ? null : config.smsForwardNumber,
      config.textBackEnabled,
      config.textBackMessage || null,
      config.source ?? null,
      config.numberType,
      config.ringTimeoutSeconds,
      config.missedCallMaxSeconds,
      config.voicemailEnabled,
      config.showTrackingNumber,
      config.active,
      config.airtableRecordId ?? null,
      config.pipelineBaseId ?? null,
      config.websiteDomains ?? [],
      config.websiteNumbers ?? [],
      config.swapRule ?? null,
      config.fallbackNumber ?? null,
    ],
  );
}

/** The tracking numbers in the snapshot, routed or not: all of them, or those among `candidates`. */
export async function snapshotTrackingNumbers(db: Queryable, candidates?: string[]): Promise<string[]> {
  const rows = candidates
    ? await db.query<{ phone_number: string }>("select phone_number from public.tracking_numbers where phone_number = any($1::text[])", [candidates])
    : await db.query<{ phone_number: string }>("select phone_number from public.tracking_numbers");
  return rows.map((row) => row.phone_number);
}
