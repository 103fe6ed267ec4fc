-- A lead's change times are the database's to write, not the client's. Clients could write
-- leads.status_changed_at and updated_at through the Data API (granted in 20261124000000), and the
-- triggers of 20261201000000_inbox.sql trusted them: a new status_changed_at queued a pipeline job
-- per lead and per write, one older than status_pushed_at kept a change from reaching Airtable, a
-- future one beat every Airtable pull for good, and a far-future updated_at froze the change
-- marker open inboxes poll. A client now writes only status, name, value and notes.
revoke update (status_changed_at, updated_at) on public.leads from authenticated;

-- A status change is dated when it is written, whoever writes it, except by the Airtable pull,
-- the one writer that sets status_pushed_at with it and dates the change by Airtable's own time.
-- The server's role may still date a change by itself (without changing status).
create or replace function internal.date_lead_status_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status is distinct from old.status and new.status_pushed_at is not distinct from old.status_pushed_at then
    new.status_changed_at := clock_timestamp();
  end if;
  return new;
end
$$;

-- One job waiting per lead is enough: the drainer reads the lead's row as it is when it delivers
-- (lib/outbox/read-pipeline-records.ts), so a flood of status changes queues one job. A lead in
-- flight has had its row read already, so a change then gets one more job, one per claim.
create or replace function internal.queue_lead_status_push() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  claimant uuid;
begin
  select c.claimed_by into claimant
    from internal.outbox_lead_claims c
   where c.lead_id = new.id and c.claimed_until >= now();
  if claimant is not null then
    insert into internal.outbox (topic, event_key, lead_id)
    values ('lead.sync', 'status:' || new.id || ':during-claim:' || claimant, new.id)
    on conflict (topic, event_key) do nothing;
  elsif not exists (select 1 from internal.outbox o where o.lead_id = new.id and o.topic = 'lead.sync' and o.status = 'pending') then
    insert into internal.outbox (topic, event_key, lead_id)
    values ('lead.sync', 'status:' || new.id || ':' || new.status || ':' || new.status_changed_at, new.id)
    on conflict (topic, event_key) do nothing;
  end if;
  return null;
end
$$;
-- Asked on every status change, so it reads the lead's waiting jobs from an index.
create index outbox_pending_lead_idx on internal.outbox (lead_id) where status = 'pending';

-- When a lead last changed, stamped by the database at the write as calls' and messages' are.
-- Marking a status as pushed to Airtable changes nothing an inbox shows, so it leaves the time be.
create trigger leads_touch_updated_at before update on public.leads
  for each row
  when (new.status_pushed_at is not distinct from old.status_pushed_at or new.status is distinct from old.status)
  execute function internal.touch_updated_at();
