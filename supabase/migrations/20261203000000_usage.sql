-- Usage for billing. public.usage_events becomes one ledger of idempotent entries that can say,
-- per client and per month, what Twilio charges for: both legs of every call, texts each way, and
-- the days each tracking number is held, each call or text with Twilio's own price once Twilio's
-- records carry one. Only the server writes it; only agency staff read it, since prices and markups
-- are the agency's business, not its clients'.

-- Numbers-held was planned as a kind but never written; every entry was a client's.
delete from public.usage_events where kind = 'tracking_numbers' or client_id is null;
alter table public.usage_events alter column client_id set not null;
alter table public.usage_events drop constraint usage_events_kind_check;
alter table public.usage_events add constraint usage_events_kind_check
  check (kind in ('call_seconds', 'sms_segments', 'mms_messages', 'number_days'));

-- Twilio bills an MMS per message, not per segment: an inbound MMS was counted both ways so far.
delete from public.usage_events s
 where s.kind = 'sms_segments'
   and exists (select 1 from public.usage_events m where m.twilio_sid = s.twilio_sid and m.kind = 'mms_messages');

-- direction: a call's own (parent) leg is inbound and its forwarded <Dial> leg outbound; a text is
-- inbound when it reached a tracking number and outbound when one sent it. Number-days have none.
-- tracking_number: the number the call or text came through; for number-days, the number held.
-- held_on: the UTC day a number-days entry counts. price: what Twilio charged, as a positive amount
-- in price_unit (Twilio reports charges as negative numbers); null until Twilio's record has it.
alter table public.usage_events
  add column direction text check (direction in ('inbound', 'outbound')),
  add column tracking_number text,
  add column held_on date,
  add column price numeric check (price >= 0),
  add column price_unit text check (price_unit ~ '^[A-Z]{3}$'),
  add column priced_at timestamptz,
  add column price_checked_at timestamptz;

-- Entries so far were written when the deferred work ran; they count when the call or text was.
update public.usage_events e
   set direction = case when c.call_sid = e.twilio_sid then 'inbound' else 'outbound' end,
       tracking_number = c.tracking_number,
       occurred_at = c.started_at
  from public.calls c
 where e.kind = 'call_seconds' and (c.call_sid = e.twilio_sid or c.dial_call_sid = e.twilio_sid);
update public.usage_events e
   set direction = m.direction, tracking_number = m.tracking_number, occurred_at = m.created_at
  from public.messages m
 where e.kind in ('sms_segments', 'mms_messages') and m.message_sid = e.twilio_sid;
-- Only inbound texts and both call legs were recorded so far; a leg with no call row is a dial leg.
update public.usage_events set direction = case when kind = 'call_seconds' then 'outbound' else 'inbound' end where direction is null;

alter table public.usage_events alter column twilio_sid drop not null;
alter table public.usage_events
  add constraint usage_events_number_days_shape check (
    case when kind = 'number_days'
      then twilio_sid is null and direction is null and held_on is not null and tracking_number is not null and quantity = 1
      else twilio_sid is not null and direction is not null and held_on is null
    end),
  add constraint usage_events_price_has_unit check ((price is null) = (price_unit is null));
-- One entry per number per UTC day, however many runs (or clients, on a day it changed hands) ask.
create unique index usage_events_number_day_key on public.usage_events (tracking_number, held_on) where kind = 'number_days';
-- The entries reconciliation still has to price, least recently asked first.
create index usage_events_unpriced_idx on public.usage_events (price_checked_at nulls first, occurred_at)
  where price is null and twilio_sid is not null;

-- Nobody writes the ledger through the Data API, staff included: every entry comes from Twilio's
-- webhooks, Twilio's logs or the number-days job. Staff read it all; clients none of it.
revoke insert, update, delete on public.usage_events from authenticated;
alter policy usage_events_select on public.usage_events using ((select internal.is_agency_staff()));
alter policy usage_events_insert on public.usage_events with check (false);
alter policy usage_events_update on public.usage_events using (false) with check (false);
alter policy usage_events_delete on public.usage_events using (false);

-- What agency staff add on top of Twilio's cost when they bill a client: invoice = cost × (1 + markup%).
create table public.client_billing (
  client_id text primary key references public.clients (id) on delete cascade,
  markup_percent numeric(6, 2) not null check (markup_percent >= 0 and markup_percent <= 1000),
  updated_at timestamptz not null default now()
);
alter table public.client_billing enable row level security;
revoke all on public.client_billing from anon;
grant select, insert, update, delete on public.client_billing to authenticated;
revoke truncate, references, trigger on public.client_billing from authenticated;

create policy client_billing_select on public.client_billing for select to authenticated
  using ((select internal.is_agency_staff()));
create policy client_billing_insert on public.client_billing for insert to authenticated
  with check ((select internal.is_agency_staff()));
create policy client_billing_update on public.client_billing for update to authenticated
  using ((select internal.is_agency_staff())) with check ((select internal.is_agency_staff()));
create policy client_billing_delete on public.client_billing for delete to authenticated
  using ((select internal.is_agency_staff()));

-- When each tracking number was active, and for which client: the periods number-days accrue from.
-- Kept by a trigger on the routing snapshot, whoever changes it (the config sync, a read-through,
-- staff), so a day is never lost however late the job that writes number-days runs. accrued_through
-- is the last UTC day already written for the period.
create table internal.number_holdings (
  id bigint generated always as identity primary key,
  tracking_number text not null,
  client_id text not null references public.clients (id) on delete cascade,
  held_from timestamptz not null,
  held_until timestamptz,
  accrued_through date,
  check (held_until is null or held_until >= held_from)
);
create unique index number_holdings_open_key on internal.number_holdings (tracking_number) where held_until is null;
alter table internal.number_holdings enable row level security;
revoke all on internal.number_holdings from anon, authenticated;

create function internal.keep_number_holdings() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op <> 'INSERT' and old.active then
    if tg_op = 'DELETE' or not new.active or new.client_id <> old.client_id or new.phone_number <> old.phone_number then
      update internal.number_holdings set held_until = now() where tracking_number = old.phone_number and held_until is null;
    end if;
  end if;
  if tg_op <> 'DELETE' and new.active then
    if tg_op = 'INSERT' or not old.active or new.client_id <> old.client_id or new.phone_number <> old.phone_number then
      insert into internal.number_holdings (tracking_number, client_id, held_from) values (new.phone_number, new.client_id, now())
      on conflict (tracking_number) where held_until is null do nothing;
    end if;
  end if;
  return null;
end
$$;
revoke all on function internal.keep_number_holdings() from public;
create trigger tracking_numbers_keep_holdings after insert or update of active, client_id, phone_number or delete on public.tracking_numbers
  for each row execute function internal.keep_number_holdings();

-- Numbers already active count from the start of this month, or from their first call or text when
-- that came later; a number with neither counts from now.
insert into internal.number_holdings (tracking_number, client_id, held_from)
select t.phone_number, t.client_id,
       case when first_contact.at is null then now()
            else greatest(date_trunc('month', now() at time zone 'UTC') at time zone 'UTC', first_contact.at) end
  from public.tracking_numbers t
  cross join lateral (
    select least(
      (select min(c.started_at) from public.calls c where c.client_id = t.client_id and c.tracking_number = t.phone_number),
      (select min(m.created_at) from public.messages m where m.client_id = t.client_id and m.tracking_number = t.phone_number)
    ) as at
  ) first_contact
 where t.active;
