-- Every new lead makes the server POST to every stored push endpoint, so what may be stored is
-- limited here, not only in the app: a client calling the Data API with its own token could
-- otherwise point the server at any https host, as many times as it liked.

-- Only the push services browsers subscribe with, the host ending at the first `/` (no port, no
-- user info): FCM (Chrome, Edge on Android, Opera, Samsung Internet), Mozilla autopush (Firefox),
-- Apple (Safari) and WNS (Edge on Windows). The same pattern as PUSH_SERVICE_ENDPOINT in
-- lib/push/push-subscription.ts. A stored row on any other host could only have been planted.
delete from public.push_subscriptions
 where endpoint !~ '^https://(fcm\.googleapis\.com|[a-z0-9-]+(\.[a-z0-9-]+)*\.push\.services\.mozilla\.com|web\.push\.apple\.com|[a-z0-9-]+(\.[a-z0-9-]+)*\.notify\.windows\.com)/\S*$';
alter table public.push_subscriptions add constraint push_subscriptions_endpoint_push_service
  check (endpoint ~ '^https://(fcm\.googleapis\.com|[a-z0-9-]+(\.[a-z0-9-]+)*\.push\.services\.mozilla\.com|web\.push\.apple\.com|[a-z0-9-]+(\.[a-z0-9-]+)*\.notify\.windows\.com)/\S*$');

-- Only the server writes subscriptions (components/push/push-subscription-actions.ts, for the
-- signed-in user, as the server's own role): a user still reads and deletes their own. The insert
-- and update policies refuse everything, so the rule holds even if a grant comes back.
alter policy push_subscriptions_insert on public.push_subscriptions with check (false);
alter policy push_subscriptions_update on public.push_subscriptions using (false) with check (false);
revoke insert, update on public.push_subscriptions from authenticated;

-- At most 10 browsers per user: subscribing an 11th forgets that user's least recently
-- subscribed, in the subscribing insert's transaction. The lock makes a user's concurrent
-- subscribes take turns, so each counts the other's row.
create index push_subscriptions_user_created_idx on public.push_subscriptions (user_id, created_at desc);
drop index public.push_subscriptions_user_idx;

delete from public.push_subscriptions
 where endpoint in (
   select endpoint from (
     select endpoint, row_number() over (partition by user_id order by created_at desc, endpoint) as newest
       from public.push_subscriptions
   ) ranked
    where newest > 10
 );

create function internal.cap_push_subscriptions() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('push_subscriptions:' || new.user_id::text, 0));
  delete from public.push_subscriptions
   where endpoint in (
     select endpoint from public.push_subscriptions
      where user_id = new.user_id and endpoint <> new.endpoint
      order by created_at desc, endpoint
     offset 9
   );
  return new;
end
$$;
revoke all on function internal.cap_push_subscriptions() from public;
create trigger push_subscriptions_cap before insert on public.push_subscriptions
  for each row execute function internal.cap_push_subscriptions();
