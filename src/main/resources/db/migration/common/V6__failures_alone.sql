-- An entry that fails in a stage is parked FAILED with why, for an operator, and the entries after it go on.
ALTER TABLE care_event ADD COLUMN plan_reason VARCHAR(2000);
-- NEW (for the reply handling), HANDLED, FAILED (why below)
ALTER TABLE wa_inbound_message ADD COLUMN state_reason VARCHAR(2000);
-- A rejected frame is kept up to careloop.hl7.rejected-max-bytes; this is how long it was.
ALTER TABLE hl7_rejected ADD COLUMN raw_size BIGINT;
