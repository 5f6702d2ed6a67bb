package org.careloop.event;

/** The appointment states CareLoop distinguishes; the names and meanings are FHIR R4 Appointment.status. */
public enum AppointmentStatus {
    PROPOSED,
    PENDING,
    BOOKED,
    ARRIVED,
    FULFILLED,
    CANCELLED,
    NOSHOW,
    ENTERED_IN_ERROR,
    CHECKED_IN,
    WAITLIST
}
