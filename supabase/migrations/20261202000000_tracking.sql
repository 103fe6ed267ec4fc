-- Dynamic number insertion: what the tracking script needs from each config row, the visits it
-- reports, the pool leases it holds, the exhaustions it meets, per-IP rate limits shared by every
-- instance, and the attribution each call, text and lead keeps.

-- Config: which site may ask (Website Domains), which printed numbers are swapped (Website Numbers,
-- else the Primary Number), a custom rule for visits the built-in sources miss (Swap Rule), and
-- the number an exhausted pool gives instead (Fallback Number).
alter table public.tracking_numbers
  add column website_domains text[] not null default '{}'
    check (array_to_string(website_domains, ',') ~ '^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(,|$))*$'),
  add column website_numbers text[] not null default '{}'
    check (array_to_string(website_numbers, ',') ~ '^(\+[1-9][0-9]{6,14}(,|$))*$'),
  add column swap_rule text check (char_length(swap_rule) <= 500),
  add column fallback_number text check (fallback_number ~ '^\+[1-9][0-9]{6,14}$');
-- A preflight names only its origin: this finds the rows that list its host or a domain above it.
create index tracking_numbers_website_domains_idx on public.tracking_numbers using gin (website_domains);

-- A visit: one visitor (a random id the script keeps in first-party storage) on one client's site,
-- with the touch that brought it (first touch for 30 days, overridden by a paid click).
create table public.visits (
  id uuid primary key default gen_random_uuid(),
  client_id text not null references public.clients (id) on delete cascade,
  visitor_id text not null check (visitor_id ~ '^[A-Za-z0-9_-]{16,64}$'),
  source text not null check (char_length(source) <= 100),
  medium text check (char_length(medium) <= 200),
  campaign text check (char_length(campaign) <= 200),
  term text check (char_length(term) <= 200),
  content text check (char_length(content) <= 200),
  click_id text check (char_length(click_id) <= 500),
  click_id_type text check (click_id_type in ('gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid')),
  referrer text check (char_length(referrer) <= 2048),
  landing_page text check (char_length(landing_page) <= 2048),
  touched_at timestamptz not null,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  unique (client_id, visitor_id)
);
create index visits_client_seen_idx on public.visits (client_id, last_seen_at desc);

-- The lease state of each Pool number, one row per number, kept by the trigger below. Taking a
-- number is an UPDATE of this row guarded by `expires_at < now()`, so concurrent visitors on
-- PostgreSQL re-check the guard on the row another one just took, and never share a number.
create table public.number_leases (
  tracking_number text primary key references public.tracking_numbers (phone_number) on delete cascade,
  client_id text not null references public.clients (id) on delete cascade,
  visit_id uuid references public.visits (id) on delete set null,
  lease_id bigint,
  leased_at timestamptz,
  expires_at timestamptz not null default '-infinity'
);
create index number_leases_client_idx on public.number_leases (client_id, expires_at);

-- Every lease a visit has held, for attribution (who held the number when it rang) and pool health
-- (peak concurrent leases). `expires_at` moves with each heartbeat.
create table public.visit_leases (
  id bigint generated always as identity primary key,
  tracking_number text not null references public.tracking_numbers (phone_number) on delete cascade,
  client_id text not null references public.clients (id) on delete cascade,
  visit_id uuid not null references public.visits (id) on delete cascade,
  source text not null,
  leased_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index visit_leases_number_idx on public.visit_leases (tracking_number, leased_at desc);
create index visit_leases_client_idx on public.visit_leases (client_id, leased_at);
create index visit_leases_visit_idx on public.visit_leases (visit_id);

alter table public.number_leases
  add constraint number_leases_lease_fk foreign key (lease_id) references public.visit_leases (id) on delete set null;

-- A visitor who found every number of a pool taken and got the fallback instead.
create table public.pool_exhaustions (
  id bigint generated always as identity primary key,
  client_id text not null references public.clients (id) on delete cascade,
  source text not null,
  visit_id uuid references public.visits (id) on delete set null,
  occurred_at timestamptz not null default now()
);
create index pool_exhaustions_client_idx on public.pool_exhaustions (client_id, occurred_at);
create index pool_exhaustions_visit_idx on public.pool_exhaustions (visit_id, occurred_at desc);

-- Fixed-window request counts per key (for example "session:<ip>"), shared by every instance.
create table internal.rate_limits (
  key text not null,
  window_start timestamptz not null,
  hits integer not null default 0,
  primary key (key, window_start)
);
create index rate_limits_window_idx on internal.rate_limits (window_start);

-- Each Pool number has its lease row; a number that stops being one loses it.
create function internal.keep_number_lease_row() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.number_type = 'Pool' then
    insert into public.number_leases (tracking_number, client_id) values (new.phone_number, new.client_id)
    on conflict (tracking_number) do update set client_id = excluded.client_id
      where public.number_leases.client_id is distinct from excluded.client_id;
  else
    delete from public.number_leases where tracking_number = new.phone_number;
  end if;
  return null;
end
$$;
revoke all on function internal.keep_number_lease_row() from public;
create trigger tracking_numbers_keep_lease_row
  after insert or update of number_type, client_id on public.tracking_numbers
  for each row execute function internal.keep_number_lease_row();
insert into public.number_leases (tracking_number, client_id)
select phone_number, client_id from public.tracking_numbers where number_type = 'Pool'
on conflict (tracking_number) do nothing;

-- Attribution: each call and text keeps its own touch; a lead keeps its first.
alter table public.calls
  add column visit_id uuid references public.visits (id) on delete set null,
  add column source text,
  add column medium text,
  add column campaign text,
  add column term text,
  add column click_id text,
  add column click_id_type text,
  add column landing_page text,
  add column referrer text;
alter table public.messages
  add column visit_id uuid references public.visits (id) on delete set null,
  add column source text,
  add column medium text,
  add column campaign text,
  add column term text,
  add column click_id text,
  add column click_id_type text,
  add column landing_page text,
  add column referrer text;
alter table public.leads
  add column visit_id uuid references public.visits (id) on delete set null,
  add column medium text,
  add column campaign text,
  add column term text,
  add column click_id text,
  add column click_id_type text,
  add column landing_page text,
  add column referrer text;
create index calls_visit_idx on public.calls (visit_id) where visit_id is not null;
create index messages_visit_idx on public.messages (visit_id) where visit_id is not null;
create index leads_visit_idx on public.leads (visit_id) where visit_id is not null;

-- Only the server writes visits, leases and exhaustions: the policies refuse every write even if a
-- grant comes back. Client users read their own client's rows, for the reports; staff read all.
alter table public.visits enable row level security;
alter table public.number_leases enable row level security;
alter table public.visit_leases enable row level security;
alter table public.pool_exhaustions enable row level security;
alter table internal.rate_limits enable row level security;
revoke all on public.visits, public.number_leases, public.visit_leases, public.pool_exhaustions from anon, authenticated;
grant select on public.visits, public.number_leases, public.visit_leases, public.pool_exhaustions to authenticated;
revoke all on internal.rate_limits from anon, authenticated;

create policy visits_select on public.visits for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy visits_insert on public.visits for insert to authenticated with check (false);
create policy visits_update on public.visits for update to authenticated using (false) with check (false);
create policy visits_delete on public.visits for delete to authenticated using (false);

create policy number_leases_select on public.number_leases for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy number_leases_insert on public.number_leases for insert to authenticated with check (false);
create policy number_leases_update on public.number_leases for update to authenticated using (false) with check (false);
create policy number_leases_delete on public.number_leases for delete to authenticated using (false);

create policy visit_leases_select on public.visit_leases for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy visit_leases_insert on public.visit_leases for insert to authenticated with check (false);
create policy visit_leases_update on public.visit_leases for update to authenticated using (false) with check (false);
create policy visit_leases_delete on public.visit_leases for delete to authenticated using (false);

create policy pool_exhaustions_select on public.pool_exhaustions for select to authenticated
  using ((select internal.is_agency_staff()) or client_id = (select internal.member_client_id()));
create policy pool_exhaustions_insert on public.pool_exhaustions for insert to authenticated with check (false);
create policy pool_exhaustions_update on public.pool_exhaustions for update to authenticated using (false) with check (false);
create policy pool_exhaustions_delete on public.pool_exhaustions for delete to authenticated using (false);
