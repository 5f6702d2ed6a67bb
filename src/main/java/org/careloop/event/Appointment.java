package org.careloop.event;

import java.time.Duration;
import java.time.Instant;

/**
 * An appointment as the scheduling system describes it.
 *
 * @param system      who issued the id: the sending application (MSH-3), or the FHIR server
 * @param id          the filler's id (SCH-2), else the placer's (SCH-1)
 * @param start       the start instant, or null when the source gives none
 * @param timeZone    the zone to show the time in: the site's zone (IANA id)
 * @param dateOnly    the source gave a day but no time
 * @param duration    null when unknown
 * @param status      the mapped status; {@code sourceStatus} is the code as sent
 */
public record Appointment(
        String system,
        String id,
        String placerId,
        String fillerId,
        Instant start,
        String timeZone,
        boolean dateOnly,
        Duration duration,
        Location location,
        Practitioner provider,
        Coded service,
        AppointmentStatus status,
        String sourceStatus) {

    /** "EPIC|36996": the key planned messages for this appointment are filed under. */
    public String key() {
        return system + "|" + id;
    }
}
