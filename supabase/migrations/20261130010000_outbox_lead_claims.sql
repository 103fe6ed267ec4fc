-- One lead is never in flight twice, across every instance: a drainer claims leads, not jobs, and
-- delivers every due job of a lead it holds. Two upserts of one new Lead Key in flight at once make
-- Airtable create two rows, and every later upsert of that key then fails. A claim is released by
-- its holder once the lead's jobs are delivered, handed back or failed; a holder that died lets go
-- when claimed_until passes.
create table internal.outbox_lead_claims (
  lead_id uuid primary key references public.leads (id) on delete cascade,
  claimed_by uuid not null,
  claimed_until timestamptz not null
);
alter table internal.outbox_lead_claims enable row level security;
revoke all on internal.outbox_lead_claims from anon, authenticated;

-- Claims per job let two drainers hold two jobs of one lead: replaced by the lead claims above.
alter table internal.outbox drop column claimed_until;

-- The workspace used up its plan's monthly API calls (Free and Team plans): the base is paused
-- until this, the start of an hour. Set from the first such refusal until Airtable answers again,
-- so the refusal is logged once, not once per job or per round.
alter table internal.airtable_pace add column plan_limited_until timestamptz;
