package org.careloop.fhir.subscription;

import java.util.Optional;
import org.careloop.event.EventKind;
import org.careloop.fhir.subscription.FhirDeliveries.Seen;

/**
 * What a new version of an Encounter means, judged against the last version CareLoop saw, in the terms of the HL7
 * feed: an inpatient (or emergency) stay begun as A01, finished as A03, finished then in progress again as A13
 * (discharge cancelled), cancelled or entered in error as A11. An outpatient encounter begun, and versions that change
 * nothing planning cares about, make no event.
 */
final class EncounterTransitions {

    private EncounterTransitions() {
    }

    static EventKind kind(String status, boolean inpatient, Optional<Seen> seen) {
        String before = seen.map(Seen::status).orElse("");
        if (status.equals(before)) {
            return null;
        }
        return switch (status) {
            case "finished" -> EventKind.PATIENT_DISCHARGED;
            case "in-progress", "arrived" -> before.equals("finished") ? EventKind.DISCHARGE_CANCELLED
                    : inpatient && !before.equals("in-progress") && !before.equals("arrived")
                            ? EventKind.PATIENT_ADMITTED : null;
            case "cancelled", "entered-in-error" -> EventKind.ADMISSION_CANCELLED;
            default -> null;
        };
    }
}
