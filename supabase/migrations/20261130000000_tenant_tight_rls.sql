-- A signed-in client user can call the Data API directly with its own token, so every policy must
-- hold on its own, for every command. The webhooks find leads by lead_key and replies by the
-- lead's last text, so anything a client could plant there would steer another client's data.

-- A lead's key is its client and caller, or its client and the one call or text of a withheld
-- caller (lib/leads/upsert-lead.ts). Client ids never hold ':', so no key can name two clients.
alter table public.leads add constraint leads_key_is_client_and_caller check (
  case
    when caller_withheld then starts_with(lead_key, client_id || ':withheld:') and length(lead_key) > length(client_id || ':withheld:')
    else lead_key = client_id || ':' || caller
  end
);

-- The signed-in user, only while the claims are a live signed-in user's: PostgREST checks the
-- signature and expiry first; this is the second wall, for a forged role or a stale token that some
-- server path passes through anyway. Claims without exp are accepted: server code may build them
-- from a session it verified itself (lib/db/with-user-claims.ts asks only for sub and role).
create function internal.verified_user_id() returns uuid
language sql stable set search_path = '' as $$
  select auth.uid()
   where auth.jwt() ->> 'role' = 'authenticated'
     and case
           when not (auth.jwt() ? 'exp') then true
           when jsonb_typeof(auth.jwt() -> 'exp') = 'number' then (auth.jwt() ->> 'exp')::numeric > extract(epoch from now())
           else false
         end
$$;
revoke all on function internal.verified_user_id() from public;
grant execute on function internal.verified_user_id() to authenticated;

create or replace function internal.is_agency_staff() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.members m
    where m.user_id = internal.verified_user_id() and m.role in ('agency_admin', 'agency_staff')
  )
$$;

create or replace function internal.member_client_id() returns text
language sql stable security definer set search_path = '' as $$
  select m.client_id from public.members m where m.user_id = internal.verified_user_id() and m.role = 'client'
$$;

alter policy members_select on public.members
  using ((select internal.is_agency_staff()) or user_id = (select internal.verified_user_id()));

-- Supabase grants every privilege on new public tables to authenticated; TRUNCATE ignores RLS.
revoke truncate, references, trigger on all tables in schema public from authenticated;

-- Leads come only from webhooks (the bypass role) and staff; the inbox never creates one.
alter policy leads_insert on public.leads
  with check ((select internal.is_agency_staff()));

-- A client writes only what its inbox sends: a reply, from one of its own tracking numbers, to the
-- caller of one of its own leads. Never a lead's text (that would steer where replies go), never
-- on another client's number or lead, never backdated or with a delivery status of its own.
revoke insert on public.messages from authenticated;
grant insert (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, media)
  on public.messages to authenticated;
alter policy messages_insert on public.messages
  with check ((select internal.is_agency_staff()) or (
    direction = 'outbound'
    and author = 'client'
    and client_id = (select internal.member_client_id())
    and tracking_number in (
      select t.phone_number from public.tracking_numbers t where t.client_id = (select internal.member_client_id())
    )
    and exists (
      select 1 from public.leads l
       where l.id = messages.lead_id and l.client_id = (select internal.member_client_id()) and l.caller = messages.counterpart
    )
  ));
