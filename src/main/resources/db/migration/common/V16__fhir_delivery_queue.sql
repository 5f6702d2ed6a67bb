-- FHIR deliveries waiting before this version wait in their queue (careloop-queue:fhir-deliveries), due when the
-- delivery is, a subscription's deliveries in order.
INSERT INTO work_queue (queue, order_key, body, state, attempts, next_attempt_at, created_at)
    SELECT 'fhir-deliveries', subscription, CAST(id AS VARCHAR(20)), 'READY', 0, next_attempt_at, received_at
    FROM fhir_delivery WHERE state = 'NEW' ORDER BY id;
