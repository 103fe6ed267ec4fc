-- The tracking script's two requests: the rate-limit count, then the session or heartbeat, each
-- one function call (lib/tracking/take-tracking-number.ts and keep-tracking-number.ts call them).
-- The count is a statement of its own, committed at once: counted inside the session's
-- transaction, the address's row in internal.rate_limits would stay locked until the lease was
-- taken, and every request from one address (an office behind one NAT), on every instance, would
-- queue behind the slowest (found by npm run bench:scale). Only the server runs them.

-- Counts one request against a fixed one-minute window per key (for example "track:<ip>"). Null
-- while within the limit; else the seconds until the next window. A refused request still counts.
create function internal.count_tracking_request(p_key text, p_limit integer) returns integer
language plpgsql set search_path = '' as $$
declare
  v_hits integer;
begin
  insert into internal.rate_limits as r (key, window_start, hits)
  values (p_key, date_trunc('minute', now()), 1)
  on conflict (key, window_start) do update set hits = r.hits + 1
  returning r.hits into v_hits;
  if v_hits <= p_limit then
    return null;
  end if;
  return greatest(1, ceil(extract(epoch from date_trunc('minute', now()) + interval '1 minute' - now())))::integer;
end
$$;

-- A visit asks for its number (already counted): the visit (one row per visitor, its touch replaced
-- by what the page sends), and, when the answering config rows include a pool, a lease on one of
-- `p_pool`: the visitor's own unexpired one (a reload keeps its number and counts as a heartbeat),
-- else the free number whose lease ended longest ago. Taking a number is an UPDATE guarded by
-- `expires_at <= now()` on a row locked with SKIP LOCKED, so concurrent visitors on PostgreSQL
-- never share a number and never wait on each other's pick. An exhausted pool records at most one
-- exhaustion per visit and pool source in 30 minutes.
create function internal.take_tracking_number(
  p_client_id text,
  p_visitor_id text,
  p_visit jsonb,
  p_pool text[],
  p_pool_source text,
  p_lease_seconds integer
) returns table (visit uuid, leased_number text, pool_exhausted boolean)
language plpgsql set search_path = '' as $$
declare
  v_visit uuid;
  v_number text;
  v_lease bigint;
  v_until timestamptz := now() + make_interval(secs => p_lease_seconds);
begin
  insert into public.visits as v (client_id, visitor_id, source, medium, campaign, term, content, click_id, click_id_type,
      referrer, landing_page, touched_at)
  values (p_client_id, p_visitor_id, p_visit->>'source', p_visit->>'medium', p_visit->>'campaign', p_visit->>'term',
      p_visit->>'content', p_visit->>'click_id', p_visit->>'click_id_type', p_visit->>'referrer', p_visit->>'landing_page',
      least((p_visit->>'touched_at')::timestamptz, now()))
  on conflict (client_id, visitor_id) do update set
      source = excluded.source, medium = excluded.medium, campaign = excluded.campaign, term = excluded.term,
      content = excluded.content, click_id = excluded.click_id, click_id_type = excluded.click_id_type,
      referrer = excluded.referrer, landing_page = excluded.landing_page, touched_at = excluded.touched_at,
      last_seen_at = now()
  returning v.id into v_visit;

  if coalesce(cardinality(p_pool), 0) = 0 then
    return query select v_visit, null::text, false;
    return;
  end if;

  update public.number_leases n set expires_at = v_until
   where n.tracking_number = (
           select o.tracking_number from public.number_leases o
            where o.tracking_number = any(p_pool) and o.client_id = p_client_id and o.visit_id = v_visit and o.expires_at > now()
            order by o.leased_at desc
            limit 1)
     and n.visit_id = v_visit and n.expires_at > now()
  returning n.tracking_number, n.lease_id into v_number, v_lease;
  if v_number is not null then
    update public.visit_leases l set expires_at = v_until where l.id = v_lease;
    return query select v_visit, v_number, false;
    return;
  end if;

  update public.number_leases n set visit_id = v_visit, leased_at = now(), expires_at = v_until
   where n.tracking_number = (
           select f.tracking_number from public.number_leases f
             join public.tracking_numbers t on t.phone_number = f.tracking_number
            where f.tracking_number = any(p_pool) and f.client_id = p_client_id and f.expires_at <= now()
              and t.active and t.number_type = 'Pool'
            order by f.expires_at, f.tracking_number
            limit 1
              for update of f skip locked)
     and n.expires_at <= now()
  returning n.tracking_number into v_number;
  if v_number is not null then
    insert into public.visit_leases (tracking_number, client_id, visit_id, source, leased_at, expires_at)
    values (v_number, p_client_id, v_visit, p_pool_source, now(), v_until)
    returning id into v_lease;
    update public.number_leases n set lease_id = v_lease where n.tracking_number = v_number;
    return query select v_visit, v_number, false;
    return;
  end if;

  insert into public.pool_exhaustions (client_id, source, visit_id)
  select p_client_id, p_pool_source, v_visit
   where not exists (
           select 1 from public.pool_exhaustions e
            where e.visit_id = v_visit and e.source = p_pool_source and e.occurred_at > now() - interval '30 minutes');
  return query select v_visit, null::text, true;
end
$$;

-- The page is still open (already counted): extend the visitor's lease on `p_number` if it still
-- holds it. False when it does not (expired and taken, or never its own), so the script asks for a
-- new session.
create function internal.keep_tracking_number(
  p_client_id text,
  p_visitor_id text,
  p_number text,
  p_lease_seconds integer
) returns boolean
language plpgsql set search_path = '' as $$
declare
  v_lease bigint;
  v_until timestamptz := now() + make_interval(secs => p_lease_seconds);
begin
  update public.number_leases n set expires_at = v_until
    from public.visits v
   where n.tracking_number = p_number and n.client_id = p_client_id and n.expires_at > now()
     and v.id = n.visit_id and v.client_id = p_client_id and v.visitor_id = p_visitor_id
     -- A number released or unticked since (npm run numbers:release, Airtable) is not kept.
     and exists (select 1 from public.tracking_numbers t
                  where t.phone_number = n.tracking_number and t.active and t.number_type = 'Pool' and t.client_id = p_client_id)
  returning n.lease_id into v_lease;
  if not found then
    return false;
  end if;
  update public.visit_leases l set expires_at = v_until where l.id = v_lease;
  return true;
end
$$;

revoke all on function internal.count_tracking_request(text, integer) from public;
revoke all on function internal.take_tracking_number(text, text, jsonb, text[], text, integer) from public;
revoke all on function internal.keep_tracking_number(text, text, text, integer) from public;
