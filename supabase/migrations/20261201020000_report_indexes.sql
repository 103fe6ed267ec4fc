-- Reports at size (issue 8): 90 days of a client with 200,000 calls and texts a year, well inside
-- 300 ms. RLS checks client_id on every row a report touches, and a report touches tens of thousands,
-- so the indexes it reads carry client_id and the few columns it counts by: the report then reads
-- indexes only, never the tables. Each replaces the index with the same keys, so a webhook's write
-- keeps the same number of indexes up to date; outcome and updated_at already change on update, so
-- no update that was HOT stops being HOT.

-- A client's calls and texts in a date range (calls per day, text-backs, first contacts).
drop index public.calls_client_idx;
create index calls_client_idx on public.calls (client_id, started_at desc) include (lead_id, outcome);
drop index public.messages_client_idx;
create index messages_client_idx on public.messages (client_id, created_at desc) include (lead_id, author);

-- A lead's next call or text after a moment (a text-back answered; the CSV's counts).
drop index public.calls_lead_idx;
create index calls_lead_idx on public.calls (lead_id, started_at desc) include (client_id, outcome);
drop index public.messages_lead_idx;
create index messages_lead_idx on public.messages (lead_id, created_at desc) include (client_id, author);
