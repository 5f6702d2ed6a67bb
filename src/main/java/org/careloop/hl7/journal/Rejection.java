package org.careloop.hl7.journal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.Charset;
import java.time.Instant;

/**
 * A row of the rejected-messages table as operators read it. The raw message is served only on request; it is the
 * whole message unless {@code rawSize} says it was longer than what was kept.
 */
public record Rejection(long id, Instant receivedAt, String ackCode, int errorCode, String errorLocation,
        String reason, String sendingApplication, String sendingFacility, String controlId, String messageType,
        Instant replayedAt, String replayOutcome, String charset, @JsonIgnore byte[] raw, long rawSize) {

    public String text() {
        return new String(raw, Charset.forName(charset));
    }
}
