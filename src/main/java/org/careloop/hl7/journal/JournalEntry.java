package org.careloop.hl7.journal;

import java.time.Instant;
import org.careloop.hl7.intake.MessageHeader;

/**
 * A message about to be journaled.
 *
 * @param state        {@link JournalState#RECEIVED} to be turned into an event, or {@link JournalState#IGNORED}
 * @param stateReason  why it is ignored, else null
 */
public record JournalEntry(
        Instant receivedAt,
        MessageHeader header,
        byte[] contentSha256,
        String charset,
        String remoteAddress,
        byte[] raw,
        JournalState state,
        String stateReason) {
}
