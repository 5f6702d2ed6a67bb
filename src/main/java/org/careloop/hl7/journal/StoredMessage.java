package org.careloop.hl7.journal;

import java.nio.charset.Charset;
import java.time.Instant;

/** A journal entry read back for processing. */
public record StoredMessage(long journalId, Instant receivedAt, String messageType, String triggerEvent,
        String charset, byte[] raw) {

    public String text() {
        return new String(raw, Charset.forName(charset));
    }
}
