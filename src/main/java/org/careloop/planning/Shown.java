package org.careloop.planning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.careloop.event.Appointment;
import org.careloop.event.Location;
import org.careloop.event.Practitioner;

/**
 * What a message told the patient about their appointment, kept on the outbox row so that a reply is judged against
 * it: the time, and the place and the clinician when the message names them. Place and clinician are kept by what
 * identifies them (the location's codes, the clinician's id), so a new spelling of a name is no change.
 *
 * @param start     the appointment start shown, or null
 * @param place     the place shown, or null when the message does not name it
 * @param clinician the clinician shown, or null when the message does not name them
 */
public record Shown(Instant start, String place, String clinician) {

    /** What the mapping's message shows of this appointment. */
    static Shown by(Mapping mapping, Appointment appointment) {
        if (appointment == null) {
            return new Shown(null, null, null);
        }
        return new Shown(appointment.start(),
                mapping.shows("appointment.location", "appointment.department") ? placeOf(appointment) : null,
                mapping.shows("appointment.provider") ? clinicianOf(appointment) : null);
    }

    /** Everything about the appointment as it is: what a message naming its time and place now shows. */
    public static Shown timeAndPlace(Appointment appointment) {
        return new Shown(appointment.start(), placeOf(appointment), null);
    }

    /** What differs in the appointment as it now is, in the patient's terms ("time", "place", "clinician"). */
    public List<String> changesIn(Appointment now) {
        List<String> changes = new ArrayList<>();
        if (start != null && !start.equals(now.start())) {
            changes.add("time");
        }
        if (place != null && !place.equals(placeOf(now))) {
            changes.add("place");
        }
        if (clinician != null && !clinician.equals(clinicianOf(now))) {
            changes.add("clinician");
        }
        return changes;
    }

    private static String placeOf(Appointment appointment) {
        Location location = appointment.location();
        if (location == null) {
            return "";
        }
        String codes = String.join("|", Objects.toString(location.facility(), ""),
                Objects.toString(location.pointOfCare(), ""), Objects.toString(location.room(), ""));
        return codes.equals("||") ? Objects.toString(location.description(), "").trim().toUpperCase(Locale.ROOT)
                : codes;
    }

    private static String clinicianOf(Appointment appointment) {
        Practitioner provider = appointment.provider();
        if (provider == null) {
            return "";
        }
        return provider.id() != null && !provider.id().isBlank() ? provider.id()
                : Objects.toString(provider.family(), "").trim().toUpperCase(Locale.ROOT);
    }
}
