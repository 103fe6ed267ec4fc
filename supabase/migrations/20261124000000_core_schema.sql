-- Leadline core schema: one agency per deployment.
-- Client users reach only their client's rows, agency staff reach all, anon reaches nothing.
-- Webhooks and jobs connect with a role that bypasses RLS; everyone else goes through these policies.

create schema if not exists internal;
revoke all on schema internal from public;

create table public.clients (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name text not null,
  created_at timestamptz not null default now()
);

create table public.members (
  user_id uuid primary key references auth.users (id) on delete cascade,
  role text not null check (role in ('agency_admin', 'agency_staff', 'client')),
  client_id text references public.clients (id) on delete cascade,
  created_at timestamptz not null default now(),
  constraint client_members_have_a_client check ((role = 'client') = (client_id is not null))
);

-- The routing snapshot of the Airtable Client Configuration table, one row per tracking number.
create table public.tracking_numbers (
  phone_number text primary key check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  client_id text not null references public.clients (id) on delete cascade,
  primary_number text not null check (primary_number ~ '^\+[1-9][0-9]{6,14}$'),
  sms_forward_number text check (sms_forward_number ~ '^\+[1-9][0-9]{6,14}$'),
  text_back_enabled boolean not null default false,
  text_back_message text,
  source text,
  number_type text not null default 'Source' check (number_type in ('Source', 'Pool')),
  ring_timeout_seconds integer not null default 20 check (ring_timeout_seconds between 5 and 600),
  missed_call_max_seconds integer not null default 15 check (missed_call_max_seconds >= 0),
  voicemail_enabled boolean not null default true,
  show_tracking_number boolean not null default false,
  active boolean not null default true,
  airtable_record_id text,
  synced_at timestamptz not null default now()
);
create index tracking_numbers_client_idx on public.tracking_numbers (client_id);

-- One lead per client and caller; every withheld-number call is its own lead.
create table public.leads (
  id uuid primary key default gen_random_uuid(),
  lead_key text not null unique,
  client_id text not null references public.clients (id) on delete cascade,
  caller text not null,
  caller_withheld boolean not null default false,
  tracking_number text,
  source text,
  status text not null default 'New' check (status in ('New', 'Contacted', 'Qualified', 'Won', 'Lost', 'Spam')),
  status_changed_at timestamptz,
  first_contact_at timestamptz not null default now(),
  last_contact_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index leads_client_recent_idx on public.leads (client_id, last_contact_at desc);
create index leads_tracking_recent_idx on public.leads (tracking_number, last_contact_at desc);

create table public.calls (
  id uuid primary key default gen_random_uuid(),
  call_sid text not null unique,
  client_id text references public.clients (id) on delete cascade,
  lead_id uuid references public.leads (id) on delete cascade,
  tracking_number text not null,
  caller text not null,
  status text not null default 'ringing',
  forwarded_to text,
  dial_call_sid text,
  dial_status text,
  dial_duration_seconds integer,
  dial_bridged boolean,
  outcome text check (outcome in ('answered', 'missed', 'unrouted')),
  missed_reason text,
  duration_seconds integer,
  recording_sid text,
  recording_url text,
  recording_duration_seconds integer,
  started_at timestamptz not null default now(),
  ended_at timestamptz
);
create index calls_lead_idx on public.calls (lead_id, started_at desc);
create index calls_client_idx on public.calls (client_id, started_at desc);

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  message_sid text not null unique,
  client_id text references public.clients (id) on delete cascade,
  lead_id uuid references public.leads (id) on delete cascade,
  direction text not null check (direction in ('inbound', 'outbound')),
  author text not null check (author in ('lead', 'client', 'auto')),
  tracking_number text not null,
  counterpart text not null,
  body text not null default '',
  media jsonb not null default '[]'::jsonb,
  status text,
  error_code integer,
  created_at timestamptz not null default now()
);
create index messages_lead_idx on public.messages (lead_id, created_at desc);
create index messages_client_idx on public.messages (client_id, created_at desc);

create table public.opt_outs (
  client_id text not null references public.clients (id) on delete cascade,
  phone text not null,
  reason text not null,
  opted_out_at timestamptz not null default now(),
  primary key (client_id, phone)
);

-- Billing ledger: what Twilio will charge, per client.
create table public.usage_events (
  id uuid primary key default gen_random_uuid(),
  client_id text references public.clients (id) on delete cascade,
  kind text not null check (kind in ('call_seconds', 'sms_segments', 'mms_messages', 'tracking_numbers')),
  quantity integer not null check (quantity >= 0),
  twilio_sid text not null,
  occurred_at timestamptz not null default now(),
  unique (twilio_sid, kind)
);
create index usage_events_client_idx on public.usage_events (client_id, occurred_at);

-- Jobs for the Airtable Lead Pipeline, written in the same transaction as the lead.
create table internal.outbox (
  id bigint generated always as identity primary key,
  topic text not null,
  event_key text not null,
  lead_id uuid references public.leads (id) on delete cascade,
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  run_after timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (topic, event_key)
);
create index outbox_due_idx on internal.outbox (run_after) where status = 'pending';

-- One row per call that earns a missed-call text, inserted before sending: the primary key on
-- the CallSid is what keeps simultaneous callbacks to one text.
create table internal.text_backs (
  call_sid text primary key,
  client_id text not null references public.clients (id) on delete cascade,
  caller text not null,
  from_number text not null,
  body text not null,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'simulated', 'failed')),
  message_sid text,
  error_code integer,
  error_message text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index text_backs_recent_idx on internal.text_backs (client_id, caller, created_at desc);

-- Who is asking, from the verified JWT claims (auth.uid()). Security definer so the policies
-- can read members without members' own policy recursing.
create function internal.is_agency_staff() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.members m
    where m.user_id = auth.uid() and m.role in ('agency_admin', 'agency_staff')
  )
$$;

create function internal.member_client_id() returns text
language sql stable security definer set search_path = '' as $$
  select m.client_id from public.members m where m.user_id = auth.uid() and m.role = 'client'
$$;

revoke all on function internal.is_agency_staff() from public;
revoke all on function internal.member_client_id() from public;
grant usage on schema internal to authenticated;
grant execute on function internal.is_agency_staff() to authenticated;
grant execute on function internal.member_client_id() to authenticated;

alter table public.clients enable row level security;
alter table public.members enable row level security;
alter table public.tracking_numbers enable row level security;
alter table public.leads enable row level security;
alter table public.calls enable row level security;
alter table public.messages enable row level security;
alter table public.opt_outs enable row level security;
alter table public.usage_events enable row level security;
alter table internal.outbox enable row level security;
alter table internal.text_backs enable row level security;

revoke all on all tables in schema public from anon;
revoke all on all tables in schema internal from anon, authenticated;
grant select, insert, update, delete on all tables in schema public to authenticated;
-- A client may work a lead's status but never rewrite its key, caller or client: the webhooks
-- find leads by lead_key, so a rewritten key could pull another caller's calls onto it.
revoke update on public.leads from authenticated;
grant update (status, status_changed_at, updated_at) on public.leads to authenticated;

-- clients: a client user sees its own client; staff manage all.
create policy clients_select on public.clients for select to authenticated
  using ((select internal.is_agency_staff()) or id = (select internal.member_client_id()));
create policy clients_insert on public.clients for insert to authenticated
  with check ((select internal.is_agency_staff()));
create policy clients_update on public.clients for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy clients_delete on public.clients for delete to authenticated
  using ((select internal.is_agency_staff()));

-- members: everyone sees their own membership; staff manage all.
create policy members_select on public.members for select to authenticated
  using ((select internal.is_agency_staff()) or user_id = (select auth.uid()));
create policy members_insert on public.members for insert to authenticated
  with check ((select internal.is_agency_staff()));
create policy members_update on public.members for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy members_delete on public.members for delete to authenticated
  using ((select internal.is_agency_staff()));

-- tracking_numbers: configured by staff (through Airtable); clients read their own.
create policy tracking_numbers_select on public.tracking_numbers for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy tracking_numbers_insert on public.tracking_numbers for insert to authenticated
  with check ((select internal.is_agency_staff()));
create policy tracking_numbers_update on public.tracking_numbers for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy tracking_numbers_delete on public.tracking_numbers for delete to authenticated
  using ((select internal.is_agency_staff()));

-- leads: a client works its own leads (statuses); only staff delete.
create policy leads_select on public.leads for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy leads_insert on public.leads for insert to authenticated
  with check ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy leads_update on public.leads for update to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()))
  with check ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy leads_delete on public.leads for delete to authenticated
  using ((select internal.is_agency_staff()));

-- calls: written by webhooks; clients read their own.
create policy calls_select on public.calls for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy calls_insert on public.calls for insert to authenticated
  with check ((select internal.is_agency_staff()));
create policy calls_update on public.calls for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy calls_delete on public.calls for delete to authenticated
  using ((select internal.is_agency_staff()));

-- messages: clients read theirs and may write replies to their own leads. The foreign key to
-- leads ignores RLS, so the insert check also keeps a client's reply off another client's lead.
create policy messages_select on public.messages for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy messages_insert on public.messages for insert to authenticated
  with check ((select internal.is_agency_staff()) or (
    client_id = (select internal.member_client_id())
    and (lead_id is null or lead_id in (select l.id from public.leads l where l.client_id = (select internal.member_client_id())))
  ));
create policy messages_update on public.messages for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy messages_delete on public.messages for delete to authenticated
  using ((select internal.is_agency_staff()));

-- opt_outs: kept by webhooks; clients read theirs.
create policy opt_outs_select on public.opt_outs for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy opt_outs_insert on public.opt_outs for insert to authenticated
  with check ((select internal.is_agency_staff()));
create policy opt_outs_update on public.opt_outs for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy opt_outs_delete on public.opt_outs for delete to authenticated
  using ((select internal.is_agency_staff()));

-- usage_events: the billing ledger; clients read theirs.
create policy usage_events_select on public.usage_events for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy usage_events_insert on public.usage_events for insert to authenticated
  with check ((select internal.is_agency_staff()));
create policy usage_events_update on public.usage_events for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy usage_events_delete on public.usage_events for delete to authenticated
  using ((select internal.is_agency_staff()));
