-- Messages journaled before this version and not yet processed wait in the journal's queue (careloop-queue:hl7-journal),
-- in arrival order, as every message stored from now on does.
INSERT INTO work_queue (queue, order_key, body, state, attempts, next_attempt_at, created_at)
    SELECT 'hl7-journal', NULL, CAST(id AS VARCHAR(20)), 'READY', 0, received_at, received_at
    FROM hl7_journal WHERE state = 'RECEIVED' ORDER BY id;
