package org.careloop.replies;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.event.Appointment;
import org.careloop.event.AppointmentStatus;
import org.careloop.event.CareEvent;
import org.careloop.event.EventKind;
import org.careloop.planning.AppointmentNow;
import org.careloop.planning.Shown;
import org.careloop.replies.ReplyRules.Closed;

/**
 * Judges a Confirm, Cancel or Reschedule against the appointment as it now is and against what the message it
 * answers showed the patient, so that a tap on an out-of-date message never confirms a time the patient was not shown:
 *
 * <ul>
 *   <li>an appointment cancelled (by the record or by the patient here), missed, or past is {@code CLOSED}: nothing
 *       is written;</li>
 *   <li>a Confirm on a message whose time, place or clinician is no longer the appointment's (or on no message we
 *       know) is {@code ASK_AGAIN}: the patient is asked about the appointment as it now is;</li>
 *   <li>anything else, and Cancel or Reschedule whatever the message showed (the intent does not depend on the
 *       time), is {@code ACT}.</li>
 * </ul>
 */
final class AppointmentJudge {

    enum Verdict {
        ACT, ASK_AGAIN, CLOSED
    }

    /**
     * @param current the appointment as it now is, or null when CareLoop has no event of it
     * @param closed  why nothing can be done, for CLOSED
     * @param changes what changed since the message ("time", "place", "clinician"), for ASK_AGAIN
     */
    record Judgement(Verdict verdict, CareEvent current, Closed closed, List<String> changes) {
    }

    private static final Set<EventKind> ENDED = Set.of(EventKind.APPOINTMENT_CANCELLED, EventKind.APPOINTMENT_DELETED);
    private static final Set<AppointmentStatus> CANCELLED = Set.of(AppointmentStatus.CANCELLED,
            AppointmentStatus.ENTERED_IN_ERROR);

    private AppointmentJudge() {
    }

    /** @param shown what the answered message showed, or null when the reply answers no message we know */
    static Judgement judge(Connection connection, String subject, String action, Shown shown, Instant now)
            throws SQLException {
        CareEvent current = AppointmentNow.latest(connection, subject).orElse(null);
        Optional<Closed> closed = closed(connection, subject, current, now);
        if (closed.isPresent()) {
            return new Judgement(Verdict.CLOSED, current, closed.get(), List.of());
        }
        if ("CONFIRM".equals(action) && current != null && current.appointment() != null) {
            List<String> changes = shown == null ? List.of("no message known")
                    : shown.changesIn(current.appointment());
            if (!changes.isEmpty()) {
                return new Judgement(Verdict.ASK_AGAIN, current, null, changes);
            }
        }
        return new Judgement(Verdict.ACT, current, null, List.of());
    }

    private static Optional<Closed> closed(Connection connection, String subject, CareEvent current, Instant now)
            throws SQLException {
        if (AppointmentNow.cancelledByThePatient(connection, subject)) {
            return Optional.of(Closed.CANCELLED);
        }
        if (current == null || current.appointment() == null) {
            return Optional.empty();
        }
        Appointment appointment = current.appointment();
        if (ENDED.contains(current.kind()) || CANCELLED.contains(appointment.status())) {
            return Optional.of(Closed.CANCELLED);
        }
        if (current.kind() == EventKind.APPOINTMENT_NO_SHOW || appointment.status() == AppointmentStatus.NOSHOW) {
            return Optional.of(Closed.MISSED);
        }
        if (appointment.status() == AppointmentStatus.FULFILLED
                || appointment.start() != null && !appointment.start().isAfter(now)) {
            return Optional.of(Closed.PAST);
        }
        return Optional.empty();
    }
}
