package org.careloop.fhir.subscription;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.careloop.event.EventKind;
import org.careloop.fhir.subscription.FhirDeliveries.Seen;

/**
 * What a new version of an Appointment means, judged against the last version CareLoop saw, in the terms of the HL7
 * feed: newly booked as S12, moved as S13, otherwise changed as S14, cancelled as S15, entered in error as S17, no-show
 * as S26. Versions that change nothing planning cares about (proposed, arrived, fulfilled...) make no event.
 */
final class AppointmentTransitions {

    private AppointmentTransitions() {
    }

    static EventKind kind(String status, Instant start, Optional<Seen> seen) {
        if (seen.isEmpty()) {
            return switch (status) {
                case "booked" -> EventKind.APPOINTMENT_BOOKED;
                case "cancelled" -> EventKind.APPOINTMENT_CANCELLED;
                case "noshow" -> EventKind.APPOINTMENT_NO_SHOW;
                default -> null;
            };
        }
        Seen before = seen.get();
        if (status.equals(before.status())) {
            if (!"booked".equals(status)) {
                return null;
            }
            return Objects.equals(start, before.start()) ? EventKind.APPOINTMENT_MODIFIED
                    : EventKind.APPOINTMENT_RESCHEDULED;
        }
        return switch (status) {
            case "booked" -> EventKind.APPOINTMENT_BOOKED;
            case "cancelled" -> EventKind.APPOINTMENT_CANCELLED;
            case "noshow" -> EventKind.APPOINTMENT_NO_SHOW;
            case "entered-in-error" -> EventKind.APPOINTMENT_DELETED;
            default -> null;
        };
    }
}
