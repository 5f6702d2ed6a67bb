-- The newest change applied to each appointment and the channel it came from (hl7v2, fhir): an older change from the
-- other channel is not planned.
CREATE TABLE appointment_change (
    subject_key         VARCHAR(600)  PRIMARY KEY,
    channel             VARCHAR(16)   NOT NULL,
    changed_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
