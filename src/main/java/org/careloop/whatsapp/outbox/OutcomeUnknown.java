package org.careloop.whatsapp.outbox;

/** What to do with a message whose outcome is unknown (no answer after sending, an engine that died while claimed). */
public enum OutcomeUnknown {
    /** Hold it as UNKNOWN for an operator: never risk a second copy. */
    HOLD,
    /** Send it again: the patient may get it twice. */
    RESEND
}
