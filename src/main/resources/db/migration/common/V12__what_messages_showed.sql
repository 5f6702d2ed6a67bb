-- What each message showed of the appointment besides its time (shown_start): the place and the clinician, by what
-- identifies them, when the message names them. A reply is judged against what the message it answers showed.
ALTER TABLE wa_outbound ADD COLUMN shown_place VARCHAR(600);
ALTER TABLE wa_outbound ADD COLUMN shown_clinician VARCHAR(600);
-- The event that made each appointment what it now is (the newest change applied).
ALTER TABLE appointment_change ADD COLUMN care_event_id BIGINT;
