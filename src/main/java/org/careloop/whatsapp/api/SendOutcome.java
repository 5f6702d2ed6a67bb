package org.careloop.whatsapp.api;

/** How one request to the Cloud API ended. */
public sealed interface SendOutcome {

    /** Meta accepted the message (not yet delivered). */
    record Accepted(String wamid) implements SendOutcome {
    }

    /** Meta answered with an error; {@code errorClass} says what to do about it. */
    record Refused(int httpStatus, int errorCode, String title, ErrorClass errorClass) implements SendOutcome {
    }

    /** The request never reached Meta (connection refused, no connection free): safe to send again. */
    record NotSent(String reason) implements SendOutcome {
    }

    /** The request was sent but no answer came (timeout, broken connection): Meta may or may not have it. */
    record OutcomeUnknown(String reason) implements SendOutcome {
    }
}
