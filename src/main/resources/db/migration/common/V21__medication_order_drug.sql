-- The drug of each medication order, as the order named it: what an adherence write-back (a FHIR
-- MedicationStatement) says was taken or skipped. Never shown to the patient unless the site allows it.
ALTER TABLE medication_order ADD COLUMN medication_system VARCHAR(200);
ALTER TABLE medication_order ADD COLUMN medication_code VARCHAR(200);
ALTER TABLE medication_order ADD COLUMN medication_display VARCHAR(600);
