package org.careloop.planning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.careloop.event.CareEvent;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * One appointment reported by two channels (the HL7 feed and a FHIR server) is one subject, and where the two
 * disagree the newer change wins: an event whose change is older than the newest one already applied from the other
 * channel is not planned, and the decision is recorded on the event. Within one channel, arrival order is the order.
 * A change's time is MSH-7 or the resource's lastUpdated, else when it arrived.
 */
final class ChannelOrder {

    /** The newest change applied to an appointment. */
    private record Newest(String channel, Instant changedAt) {
    }

    private ChannelOrder() {
    }

    /** Why the event must not be planned, when the other channel already applied a newer change. */
    static Optional<String> superseded(Connection connection, CareEvent event) throws SQLException {
        if (event.appointment() == null) {
            return Optional.empty();
        }
        Instant changed = changedAt(event);
        return Reads.first(connection, "SELECT channel, changed_at FROM appointment_change WHERE subject_key = ?",
                row -> new Newest(row.getString(1), row.getTimestamp(2).toInstant()), Planner.subjectOf(event))
                .filter(newest -> !newest.channel().equals(event.source().channel())
                        && newest.changedAt().isAfter(changed))
                .map(newest -> "superseded: a newer change (" + newest.changedAt() + ") came from "
                        + newest.channel());
    }

    /** Notes the event (stored as {@code eventId}) as the newest change applied to its appointment. */
    static void applied(Connection connection, CareEvent event, long eventId) throws SQLException {
        if (event.appointment() == null) {
            return;
        }
        Timestamp changed = Timestamp.from(changedAt(event));
        String subject = Planner.subjectOf(event);
        if (Writes.update(connection, "UPDATE appointment_change SET channel = ?, changed_at = ?, care_event_id = ? "
                + "WHERE subject_key = ?", event.source().channel(), changed, eventId, subject) == 0) {
            Writes.update(connection, "INSERT INTO appointment_change (subject_key, channel, changed_at, care_event_id) "
                    + "VALUES (?, ?, ?, ?)", subject, event.source().channel(), changed, eventId);
        }
    }

    private static Instant changedAt(CareEvent event) {
        return event.source().messageTime() != null ? event.source().messageTime() : event.source().receivedAt();
    }
}
