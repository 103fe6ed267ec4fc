-- One row per reconciliation from Twilio's call and message logs: the window it read and what it
-- back-filled, so health can say when the last one ran and whether it failed.
create table internal.reconcile_runs (
  id bigint generated always as identity primary key,
  started_at timestamptz not null,
  finished_at timestamptz,
  window_start timestamptz not null,
  window_end timestamptz not null,
  counts jsonb not null default '{}',
  error text
);

alter table internal.reconcile_runs enable row level security;
revoke all on internal.reconcile_runs from anon, authenticated;
