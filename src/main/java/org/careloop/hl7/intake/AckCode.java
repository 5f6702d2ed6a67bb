package org.careloop.hl7.intake;

/** MSA-1 in original mode, with its enhanced-mode (accept ACK) counterpart. */
public enum AckCode {
    /** Accepted: stored, and will be processed. */
    AA("CA"),
    /** Error in the content: resending the same message will not help. */
    AE("CE"),
    /** Rejected for a reason unrelated to content (store down, bad MSH): resending later may succeed. */
    AR("CR");

    private final String acceptMode;

    AckCode(String acceptMode) {
        this.acceptMode = acceptMode;
    }

    /** The code to send: CA/CE/CR when the sender gets an accept ACK, else AA/AE/AR. */
    public String code(boolean acceptAck) {
        return acceptAck ? acceptMode : name();
    }
}
