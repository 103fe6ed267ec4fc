-- Pulling statuses agency staff changed in the Lead Pipeline back into the app: where each base's
-- last pull got to, by Airtable's own "Status Modified" time.
create table internal.pipeline_pulls (
  base_id text primary key,
  status_modified_after timestamptz not null default '-infinity'
);
alter table internal.pipeline_pulls enable row level security;
revoke all on internal.pipeline_pulls from anon, authenticated;
