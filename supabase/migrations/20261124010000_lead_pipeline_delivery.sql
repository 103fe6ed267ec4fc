-- Delivering the outbox to the agency's Airtable Lead Pipeline.

-- The pace of requests to one Airtable base, shared by every instance: each request takes the next
-- slot, a fixed spacing after the last one, so all drainers together stay under Airtable's
-- 5 requests per rolling second. A 429 pauses the base.
create table internal.airtable_pace (
  base_id text primary key,
  next_slot_at timestamptz not null default now(),
  paused_until timestamptz,
  requests integer not null default 0,
  rate_limited integer not null default 0
);

-- A claimed job is being delivered until claimed_until; a drainer that died lets it go after that.
alter table internal.outbox add column claimed_until timestamptz;

-- A client's leads may go to the client's own base instead of the agency's.
alter table public.tracking_numbers add column pipeline_base_id text
  check (pipeline_base_id ~ '^app[A-Za-z0-9]{14}$');

-- The app sends Status to Airtable only when it changed it since the last push.
alter table public.leads add column status_pushed_at timestamptz;

alter table internal.airtable_pace enable row level security;
revoke all on internal.airtable_pace from anon, authenticated;

-- A client's reply goes to whoever last called or texted that tracking number: find them by index.
-- Leads are never looked up by tracking number, so that index only cost every call a write.
drop index public.leads_tracking_recent_idx;
create index calls_tracking_recent_idx on public.calls (tracking_number, started_at desc);
create index messages_tracking_recent_idx on public.messages (tracking_number, created_at desc) where author = 'lead';
