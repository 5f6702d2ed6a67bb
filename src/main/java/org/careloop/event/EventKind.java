package org.careloop.event;

/** What happened, independent of the feed that said so (HL7 v2 trigger, FHIR resource change). */
public enum EventKind {
    APPOINTMENT_BOOKED,
    APPOINTMENT_RESCHEDULED,
    APPOINTMENT_MODIFIED,
    APPOINTMENT_CANCELLED,
    APPOINTMENT_DELETED,
    APPOINTMENT_NO_SHOW,
    PATIENT_ADMITTED,
    PATIENT_REGISTERED,
    PATIENT_DISCHARGED,
    /** Demographics changed or were (re)sent: refresh phone, language and consent. */
    PATIENT_UPDATED,
    ADMISSION_CANCELLED,
    DISCHARGE_CANCELLED,
    /** Two patient records became one; {@link Patient#mergedIds()} lists the ids that no longer exist. */
    PATIENTS_MERGED,
    RESULT_REPORTED,
    MEDICATION_ORDERED
}
