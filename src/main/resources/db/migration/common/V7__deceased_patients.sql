-- Patients the record says have died: nothing is planned for them, until a source says it was recorded in error.
CREATE TABLE patient_deceased (
    patient_key         VARCHAR(600)  PRIMARY KEY,
    reason              VARCHAR(2000) NOT NULL,
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
