package org.careloop.hl7.extract;

/** A stored message that cannot become an event; the message says why, naming fields, never values. */
public final class ExtractionException extends RuntimeException {

    public ExtractionException(String reason) {
        super(reason);
    }

    public ExtractionException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
