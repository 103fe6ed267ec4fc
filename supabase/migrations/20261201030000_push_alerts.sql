-- New leads waiting for their push to subscribed browsers. Written by the insert that creates the
-- lead, in its transaction, so an alert exists exactly when the lead does: whichever path made it
-- (voice or SMS webhook, a status callback that logged the call first, reconciliation), and
-- whether or not the process that wrote it lives to send the push. Any instance may send it: the
-- webhooks' deferred work, or the every-minute follow-ups cron for those that died. Sending takes
-- the row, so each lead is pushed once; an alert older than an hour is dropped unsent.
create table internal.push_alerts (
  lead_id uuid primary key references public.leads (id) on delete cascade,
  created_at timestamptz not null default now()
);
create index push_alerts_created_idx on internal.push_alerts (created_at);
alter table internal.push_alerts enable row level security;
revoke all on internal.push_alerts from anon, authenticated;

-- An AFTER INSERT trigger fires only for the row an insert created, never for the update an
-- upsert's conflict turns into, so a repeated webhook or a later contact adds no alert; the
-- conflict clause only keeps a second insert path, were one ever added, from failing the write.
-- Security definer: a lead inserted under a user's role still gets its alert in this schema.
create function internal.queue_new_lead_push() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into internal.push_alerts (lead_id) values (new.id) on conflict (lead_id) do nothing;
  return null;
end
$$;
revoke all on function internal.queue_new_lead_push() from public;
create trigger leads_queue_new_lead_push after insert on public.leads
  for each row execute function internal.queue_new_lead_push();
