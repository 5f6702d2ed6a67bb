-- H2 hands out identity values from a per-column cache (see the H2 version of this migration). PostgreSQL's
-- sequence cache is per session instead: with one, ids from different connections would no longer follow the order
-- rows were added in, which the work queue relies on. So nothing changes here; the version keeps both stores'
-- histories in step.
SELECT 1;
