package org.careloop.hl7.journal;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a message with its segment terminators normalised (CR, LF and CRLF all count as one CR, trailing ones
 * dropped), so a resend through an engine that rewrote line ends still counts as the same message.
 */
public final class ContentHash {

    private ContentHash() {
    }

    public static byte[] of(byte[] raw) {
        ByteArrayOutputStream normalised = new ByteArrayOutputStream(raw.length);
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\r' || raw[end - 1] == '\n')) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            byte b = raw[i];
            if (b == '\n') {
                if (i == 0 || raw[i - 1] != '\r') {
                    normalised.write('\r');
                }
            } else {
                normalised.write(b);
            }
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(normalised.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
