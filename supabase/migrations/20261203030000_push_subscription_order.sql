-- "Least recently subscribed" rested on created_at alone, and the embedded database's clock moves
-- in whole milliseconds: two subscribes in one millisecond tied, and the cap then forgot whichever
-- endpoint sorted first. Each subscribe now gets a time after every other of that user's rows,
-- taken under the same per-user lock as the cap, so the order is the order of subscribing.
-- The app's upsert keeps this time on a re-subscribe (`created_at = excluded.created_at`: a
-- BEFORE INSERT trigger's changes are what `excluded` holds).
create or replace function internal.cap_push_subscriptions() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('push_subscriptions:' || new.user_id::text, 0));
  new.created_at := greatest(
    now(),
    (select max(created_at) + interval '1 microsecond' from public.push_subscriptions
      where user_id = new.user_id and endpoint <> new.endpoint)
  );
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
