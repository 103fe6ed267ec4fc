-- Health counts dead pipeline jobs on every check; delivered jobs pile up forever, so the count
-- must not scan them.
create index outbox_dead_idx on internal.outbox (id) where status = 'dead';
