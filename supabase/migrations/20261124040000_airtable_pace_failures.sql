-- A base that answers 5xx or times out is paused as a whole, for longer after each failure in a
-- row: an outage costs no job an attempt and no webhook any time.
alter table internal.airtable_pace add column failures integer not null default 0;
