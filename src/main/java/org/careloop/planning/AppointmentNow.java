package org.careloop.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.careloop.event.CareEvent;
import org.careloop.event.EventJson;
import org.careloop.store.Reads;

/**
 * The appointment as CareLoop now knows it, in the caller's transaction: the event of the newest change applied to
 * it from either channel (see {@link ChannelOrder}), and whether the patient has cancelled it through CareLoop since.
 */
public final class AppointmentNow {

    private static final ObjectMapper JSON = EventJson.mapper();

    private AppointmentNow() {
    }

    /** The event that made the appointment what it is, when one was planned. */
    public static Optional<CareEvent> latest(Connection connection, String subject) throws SQLException {
        Optional<String> payload = Reads.first(connection, "SELECT e.payload FROM appointment_change a JOIN care_event e "
                + "ON e.id = a.care_event_id WHERE a.subject_key = ?", row -> row.getString(1), subject);
        try {
            return payload.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(payload.get(), CareEvent.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored event of " + subject + " cannot be read", e);
        }
    }

    /**
     * The patient cancelled the appointment themselves, through CareLoop, since it was last booked or moved (the
     * write-back may not have reached the record yet, nor the EHR's report of it come back).
     */
    public static boolean cancelledByThePatient(Connection connection, String subject) throws SQLException {
        String appointment = subject.startsWith("appointment:") ? subject.substring("appointment:".length()) : subject;
        return Reads.first(connection, "SELECT 1 FROM fhir_writeback w WHERE w.subject_key = ? AND w.action = 'CANCEL' "
                + "AND w.state <> 'CANCELLED' AND NOT EXISTS (SELECT 1 FROM care_event e WHERE e.appointment_key = ? "
                + "AND e.kind IN ('APPOINTMENT_BOOKED', 'APPOINTMENT_RESCHEDULED') AND e.created_at > w.created_at)",
                row -> true, subject, appointment).isPresent();
    }
}
