-- The appointment time a message shows the patient: a notice of a move is not sent for the time they were last shown.
ALTER TABLE wa_outbound ADD COLUMN shown_start TIMESTAMP WITH TIME ZONE;
