-- The lead inbox: what a client writes on a lead, what each user has read, where to push new
-- leads, and when each row last changed, so an open inbox can ask cheaply whether anything did.

-- What the client knows about the lead beyond its number.
alter table public.leads
  add column name text check (char_length(name) <= 200),
  add column value numeric(12, 2) check (value >= 0 and value < 10000000000),
  add column notes text check (char_length(notes) <= 5000);
grant update (name, value, notes) on public.leads to authenticated;

-- A status change from anywhere but the Airtable pull (which sets status_pushed_at with it) is
-- the app's change and goes to the Lead Pipeline: dated here if the writer did not date it, and
-- queued here, so a client changing it through the Data API queues it exactly as the inbox does.
create function internal.date_lead_status_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status is distinct from old.status and new.status_changed_at is not distinct from old.status_changed_at then
    new.status_changed_at := clock_timestamp();
  end if;
  return new;
end
$$;
create trigger leads_date_status_change before update of status on public.leads
  for each row execute function internal.date_lead_status_change();

create function internal.queue_lead_status_push() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into internal.outbox (topic, event_key, lead_id)
  values ('lead.sync', 'status:' || new.id || ':' || new.status || ':' || new.status_changed_at, new.id)
  on conflict (topic, event_key) do nothing;
  return null;
end
$$;
revoke all on function internal.queue_lead_status_push() from public;
create trigger leads_queue_status_push after update of status, status_changed_at on public.leads
  for each row
  when (new.status_changed_at is distinct from old.status_changed_at
        and (new.status_pushed_at is null or new.status_changed_at > new.status_pushed_at))
  execute function internal.queue_lead_status_push();

-- When a call or text last changed (an outcome, a recording, a delivery status): the inbox's
-- "anything new?" question reads the newest of these, per client, from an index.
alter table public.calls add column updated_at timestamptz not null default now();
alter table public.messages add column updated_at timestamptz not null default now();

create function internal.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := clock_timestamp();
  return new;
end
$$;
create trigger calls_touch_updated_at before update on public.calls
  for each row execute function internal.touch_updated_at();
create trigger messages_touch_updated_at before update on public.messages
  for each row execute function internal.touch_updated_at();

create index leads_client_changed_idx on public.leads (client_id, updated_at desc);
create index calls_client_changed_idx on public.calls (client_id, updated_at desc);
create index messages_client_changed_idx on public.messages (client_id, updated_at desc);

-- What each user has read: a thread's unread count is the lead's calls and texts after this.
create table public.lead_reads (
  user_id uuid not null references auth.users (id) on delete cascade,
  lead_id uuid not null references public.leads (id) on delete cascade,
  read_at timestamptz not null default now(),
  primary key (user_id, lead_id)
);
alter table public.lead_reads enable row level security;
revoke all on public.lead_reads from anon;
grant select, insert, update, delete on public.lead_reads to authenticated;
revoke truncate, references, trigger on public.lead_reads from authenticated;

create policy lead_reads_select on public.lead_reads for select to authenticated
  using (user_id = (select internal.verified_user_id()));
create policy lead_reads_insert on public.lead_reads for insert to authenticated
  with check (
    user_id = (select internal.verified_user_id())
    and exists (
      select 1 from public.leads l
       where l.id = lead_reads.lead_id
         and ((select internal.is_agency_staff()) or l.client_id = (select internal.member_client_id()))
    )
  );
create policy lead_reads_update on public.lead_reads for update to authenticated
  using (user_id = (select internal.verified_user_id()))
  with check (
    user_id = (select internal.verified_user_id())
    and exists (
      select 1 from public.leads l
       where l.id = lead_reads.lead_id
         and ((select internal.is_agency_staff()) or l.client_id = (select internal.member_client_id()))
    )
  );
create policy lead_reads_delete on public.lead_reads for delete to authenticated
  using (user_id = (select internal.verified_user_id()));

-- A browser's web push subscription, per user. Sent to by the deferred webhook work, which runs
-- as the server's own role; a user sees and manages only their own.
create table public.push_subscriptions (
  endpoint text primary key check (endpoint ~ '^https://' and char_length(endpoint) <= 2000),
  user_id uuid not null references auth.users (id) on delete cascade,
  p256dh text not null check (char_length(p256dh) <= 200),
  auth text not null check (char_length(auth) <= 100),
  created_at timestamptz not null default now()
);
create index push_subscriptions_user_idx on public.push_subscriptions (user_id);
alter table public.push_subscriptions enable row level security;
revoke all on public.push_subscriptions from anon;
grant select, insert, update, delete on public.push_subscriptions to authenticated;
revoke truncate, references, trigger on public.push_subscriptions from authenticated;

create policy push_subscriptions_select on public.push_subscriptions for select to authenticated
  using (user_id = (select internal.verified_user_id()));
create policy push_subscriptions_insert on public.push_subscriptions for insert to authenticated
  with check (user_id = (select internal.verified_user_id()));
create policy push_subscriptions_update on public.push_subscriptions for update to authenticated
  using (user_id = (select internal.verified_user_id()))
  with check (user_id = (select internal.verified_user_id()));
create policy push_subscriptions_delete on public.push_subscriptions for delete to authenticated
  using (user_id = (select internal.verified_user_id()));
