-- The inbox at size (20,000 leads and 200,000 calls and texts for one client): every list, page and
-- search walks one client's leads in activity order and stops after a page.

-- Activity order with the id as tie-break, so a page's cursor (last_contact_at, id) is a range of
-- this index however many leads share a time (a bulk import, a burst of calls). The name and number
-- ride along, so a search filters them without visiting each lead's row. It replaces the index
-- without the tie-break, which it covers.
create index leads_client_activity_idx on public.leads (client_id, last_contact_at desc, id desc) include (caller, name);
drop index public.leads_client_recent_idx;

-- "Leads with a missed call" and each thread's missed mark ask one lead at a time: one probe here,
-- rather than reading the lead's every call.
create index calls_lead_missed_idx on public.calls (lead_id) where outcome = 'missed';
