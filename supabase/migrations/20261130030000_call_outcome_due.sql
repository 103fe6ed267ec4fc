-- A call that ends with no dial outcome is settled (from Twilio's log of its forwarded leg) only
-- once outcome_due_at has passed: the <Dial> action and the parent call's status callback arrive
-- almost together, in either order, and the dial outcome must be the one that decides.
alter table public.calls add column outcome_due_at timestamptz;

create index calls_outcome_due_idx on public.calls (outcome_due_at) where outcome is null and outcome_due_at is not null;
