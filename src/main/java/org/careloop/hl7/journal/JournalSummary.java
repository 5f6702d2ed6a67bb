package org.careloop.hl7.journal;

import java.time.Instant;

/** A journal entry as operators list it: its header fields and state, without the message itself. */
public record JournalSummary(long id, Instant receivedAt, String sendingApplication, String sendingFacility,
        String controlId, String messageType, String version, JournalState state, String stateReason,
        Instant processedAt) {
}
