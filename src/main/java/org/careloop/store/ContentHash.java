package org.careloop.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a message with its segment terminators normalised (CR, LF and CRLF all count as one CR, trailing ones
 * dropped), so a resend through an engine that rewrote line ends still counts as the same message.
 */
public final class ContentHash {

    private static final byte[] CR = {'\r'};

    private ContentHash() {
    }

    public static byte[] of(byte[] raw) {
        MessageDigest sha256 = newDigest();
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\r' || raw[end - 1] == '\n')) {
            end--;
        }
        int from = 0;
        for (int i = 0; i < end; i++) {
            if (raw[i] == '\n') {
                sha256.update(raw, from, i - from);
                if (i == 0 || raw[i - 1] != '\r') {
                    sha256.update(CR);
                }
                from = i + 1;
            }
        }
        sha256.update(raw, from, end - from);
        return sha256.digest();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
