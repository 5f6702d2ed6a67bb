-- What staff must look at first: 0 for a probable opt-out (typed words that may mean "stop") and a clinical review,
-- 1 for the rest. The queue lists by priority, then newest first.
ALTER TABLE staff_queue ADD COLUMN priority SMALLINT DEFAULT 1 NOT NULL;
CREATE INDEX ix_staff_queue_priority ON staff_queue (state, priority, id);
