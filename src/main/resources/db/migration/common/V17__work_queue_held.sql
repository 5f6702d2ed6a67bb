-- The entries that hold back the ones behind them of their key: keyed entries due later than they were added (waiting
-- for a retry, or put in line for later). Kept apart from work_queue so that adding and completing an entry, on every
-- stage's hot path, updates two B-trees instead of three: the index this table replaces held every entry, keyed or
-- not, only for these few.
CREATE TABLE work_queue_held (
    entry_id            BIGINT        PRIMARY KEY,
    queue               VARCHAR(64)   NOT NULL,
    order_key           VARCHAR(600)  NOT NULL,
    -- the entry's due time: once it has passed, the row holds nothing back
    until_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_work_queue_held_key ON work_queue_held (queue, order_key, entry_id);

INSERT INTO work_queue_held (entry_id, queue, order_key, until_at)
    SELECT id, queue, order_key, next_attempt_at FROM work_queue
    WHERE order_key IS NOT NULL AND state = 'READY' AND next_attempt_at > created_at;

DROP INDEX ix_work_queue_waiting;
