-- The Airtable webhook that pings us when the Client Configuration table changes. Airtable shows
-- its MAC secret only once, at creation, so it is kept here to verify every ping.
create table internal.airtable_webhooks (
  base_id text primary key,
  webhook_id text not null unique,
  mac_secret_base64 text not null,
  notification_url text not null,
  expires_at timestamptz not null
);
alter table internal.airtable_webhooks enable row level security;
revoke all on internal.airtable_webhooks from anon, authenticated;
