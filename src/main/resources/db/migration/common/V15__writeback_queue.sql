-- Write-back jobs waiting before this version wait in their queue (careloop-queue:fhir-writebacks), due when the
-- job is, an appointment's (or patient's) jobs in order.
INSERT INTO work_queue (queue, order_key, body, state, attempts, next_attempt_at, created_at)
    SELECT 'fhir-writebacks', subject_key, CAST(id AS VARCHAR(20)), 'READY', 0, next_attempt_at, created_at
    FROM fhir_writeback WHERE state = 'PENDING' ORDER BY id;
