-- Medication orders as planning last left them (planning owns this table): a discontinued order, or one the patient
-- stopped, is not revived by a replayed message.
CREATE TABLE medication_order (
    mapping_id          VARCHAR(100)  NOT NULL,
    subject_key         VARCHAR(600)  NOT NULL,          -- medication:EPIC|RX-3001
    patient_key         VARCHAR(300),
    state               VARCHAR(24)   NOT NULL,          -- ACTIVE, HELD, DISCONTINUED, STOPPED_BY_PATIENT
    reason              VARCHAR(1000),
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (mapping_id, subject_key)
);

-- The patients' answers to their reminders, one per reply (the replies own this table): adherence per order.
CREATE TABLE medication_adherence (
    reply_wamid         VARCHAR(256)  PRIMARY KEY,
    subject_key         VARCHAR(600)  NOT NULL,
    patient_key         VARCHAR(300),
    dose_slot           VARCHAR(64),                     -- dose-2027-03-13T09:00, the reminder answered
    answer              VARCHAR(16)   NOT NULL,          -- TAKEN, SKIPPED
    answered_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_medication_adherence_patient ON medication_adherence (patient_key, subject_key);
