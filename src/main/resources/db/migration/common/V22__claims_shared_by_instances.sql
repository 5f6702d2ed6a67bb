-- A PostgreSQL store may be shared by several engine instances. (An H2 file is opened by one process; there these
-- stay empty.) A work queue entry taken by an instance is held by it, claimed_by, until claimed_until by the store's
-- clock: an instance that died leaves its entries to be taken again once that time has passed.
ALTER TABLE work_queue ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE work_queue ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
