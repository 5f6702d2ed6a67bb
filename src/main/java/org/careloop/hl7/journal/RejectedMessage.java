package org.careloop.hl7.journal;

import java.time.Instant;

/**
 * A message answered AE or AR, kept with its exact bytes for an operator to read and replay.
 *
 * @param errorLocation "SCH-2", or empty
 */
public record RejectedMessage(
        Instant receivedAt,
        String ackCode,
        int errorCode,
        String errorLocation,
        String reason,
        String sendingApplication,
        String sendingFacility,
        String controlId,
        String messageType,
        String charset,
        String remoteAddress,
        byte[] raw) {
}
