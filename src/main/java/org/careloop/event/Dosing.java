package org.careloop.event;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

/**
 * When a medication order says it is taken: enough to remind the patient, nothing of the dose itself.
 *
 * @param orderControl ORC-1: NW new, XO change, RP replace, DC discontinue, CA cancel, HD hold, RL release (a FHIR
 *                     MedicationRequest's status and version are read into these)
 * @param repeat       TQ1-3 (else RXE-1.2) repeat pattern: QD, BID, TID, QID, Q4H..Q12H, QAM, QPM, HS, PRN...; FHIR
 *                     timing.code, or one made from repeat.frequency/period/when
 * @param times        TQ1-4 explicit times of day (FHIR repeat.timeOfDay), in the site's time; empty when none
 * @param start        TQ1-7 (else RXE-1.4; FHIR boundsPeriod.start), or null
 * @param end          TQ1-8 (else RXE-1.5; FHIR boundsPeriod.end): the stop date, or null
 * @param duration     TQ1-6 service duration (FHIR boundsDuration), or null
 */
public record Dosing(String orderControl, String repeat, List<LocalTime> times, Instant start, Instant end,
        Duration duration) {

    public Dosing {
        times = List.copyOf(times);
    }
}
