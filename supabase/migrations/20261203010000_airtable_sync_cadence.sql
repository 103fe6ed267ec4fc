-- Airtable's monthly API budget. A base may now hold two of our webhooks: one on the Client
-- Configuration table ('config') and one on the Lead Pipeline's Status ('statuses'), so the periodic
-- sync of each part can drop to hourly while its webhook is live.
alter table internal.airtable_webhooks add column watches text not null default 'config' check (watches in ('config', 'statuses'));
alter table internal.airtable_webhooks alter column watches drop default;
alter table internal.airtable_webhooks drop constraint airtable_webhooks_pkey;
alter table internal.airtable_webhooks add primary key (base_id, watches);

-- When each part of each base was last synced in full, and which run holds it now. Kept here, not in
-- a process, so every instance and every scheduler agrees on whether the next sync is due.
create table internal.airtable_syncs (
  base_id text not null,
  part text not null check (part in ('config', 'statuses')),
  synced_at timestamptz,
  claimed_until timestamptz,
  primary key (base_id, part)
);
alter table internal.airtable_syncs enable row level security;
revoke all on internal.airtable_syncs from anon, authenticated;
