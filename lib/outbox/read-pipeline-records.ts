import type { Queryable } from "../db/database";
import { PIPELINE_FIELDS as F } from "../airtable/pipeline-fields";
import type { AttributionRow } from "../inbox/attribution";

export type PipelineRecord = {
  leadId: string;
  /** The client's own base, or undefined for the agency's. */
  baseId?: string;
  /** When the app changed the status that this record carries, if it carries one. */
  statusChangedAt?: Date;
  fields: Record<string, string | number>;
};

type LeadRow = Pick<AttributionRow, "source" | "medium" | "campaign" | "term" | "click_id" | "landing_page"> & {
  id: string;
  lead_key: string;
  client_id: string;
  caller: string;
  tracking_number: string | null;
  status: string;
  status_changed_at: Date | null;
  status_pushed_at: Date | null;
  first_contact_at: Date;
  last_contact_at: Date;
  calls: number;
  missed_calls: number;
  texts: number;
  last_message: string | null;
  last_activity: string | null;
  base_id: string | null;
};

/**
 * The pipeline row of each lead with the values it has right now: counts and latest contact are
 * absolute, so an upsert repeated after a timeout cannot count anything twice. The lead's first
 * touch (source, medium, campaign, term, click id, landing page) goes along where it is set. Status
 * goes along only when the app changed it since it was last pushed, so an edit made in Airtable is
 * not undone.
 */
export async function readPipelineRecords(db: Queryable, leadIds: string[]): Promise<PipelineRecord[]> {
  const rows = await db.query<LeadRow>(
    `select l.id, l.lead_key, l.client_id, l.caller, l.tracking_number, l.status, l.status_changed_at, l.status_pushed_at,
            l.source, l.medium, l.campaign, l.term, l.click_id, l.landing_page, l.first_contact_at, l.last_contact_at,
            (select count(*)::int from public.calls c where c.lead_id = l.id) as calls,
            (select count(*)::int from public.calls c where c.lead_id = l.id and c.outcome = 'missed') as missed_calls,
            (select count(*)::int from public.messages m where m.lead_id = l.id) as texts,
            (select m.body from public.messages m where m.lead_id = l.id order by m.created_at desc limit 1) as last_message,
            (select activity from (
               select c.started_at as at, case c.outcome when 'missed' then 'Missed call' when 'answered' then 'Answered call' else 'Call' end as activity
                 from public.calls c where c.lead_id = l.id
               union all
               select m.created_at, case m.direction when 'inbound' then 'Text received' else 'Text sent' end
                 from public.messages m where m.lead_id = l.id
             ) latest order by at desc limit 1) as last_activity,
            (select t.pipeline_base_id from public.tracking_numbers t
              where t.client_id = l.client_id and t.pipeline_base_id is not null
              order by t.phone_number limit 1) as base_id
       from public.leads l
      where l.id = any($1::uuid[])`,
    [leadIds],
  );
  return rows.map((lead) => {
    const sendStatus = lead.status_changed_at !== null && (lead.status_pushed_at === null || lead.status_changed_at > lead.status_pushed_at);
    const fields: Record<string, string | number> = {
      [F.leadKey]: lead.lead_key,
      [F.clientId]: lead.client_id,
      [F.caller]: lead.caller,
      [F.firstContact]: lead.first_contact_at.toISOString(),
      [F.lastContact]: lead.last_contact_at.toISOString(),
      [F.calls]: lead.calls,
      [F.texts]: lead.texts,
      [F.missedCalls]: lead.missed_calls,
    };
    if (lead.tracking_number) fields[F.trackingNumber] = lead.tracking_number;
    // Only what is known: a base set up before attribution lacks these columns, and an unknown
    // field would refuse the whole request.
    for (const [field, value] of [
      [F.source, lead.source],
      [F.medium, lead.medium],
      [F.campaign, lead.campaign],
      [F.term, lead.term],
      [F.clickId, lead.click_id],
      [F.landingPage, lead.landing_page],
    ] as const) {
      if (value) fields[field] = value;
    }
    if (lead.last_activity) fields[F.lastActivity] = lead.last_activity;
    if (lead.last_message) fields[F.lastMessage] = lead.last_message;
    if (sendStatus) fields[F.status] = lead.status;
    return {
      leadId: lead.id,
      baseId: lead.base_id ?? undefined,
      statusChangedAt: sendStatus ? (lead.status_changed_at ?? undefined) : undefined,
      fields,
    };
  });
}
