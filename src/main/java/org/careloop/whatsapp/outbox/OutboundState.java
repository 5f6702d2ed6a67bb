package org.careloop.whatsapp.outbox;

/** Where a message to a patient stands. */
public enum OutboundState {
    /** Waiting for its due time (or its next attempt). */
    PLANNED(0),
    /** Taken by a dispatcher, which is sending it now. */
    CLAIMED(0),
    /** Accepted by the Cloud API: it has a wamid. */
    SENT(1),
    DELIVERED(2),
    READ(3),
    FAILED(4),
    /** Sent, but no answer came (timeout, or a crash while claimed): held for an operator, or resent by policy. */
    UNKNOWN(0),
    CANCELLED(0),
    EXPIRED(0),
    SUPPRESSED(0);

    private final int deliveryRank;

    OutboundState(int deliveryRank) {
        this.deliveryRank = deliveryRank;
    }

    /** SENT &lt; DELIVERED &lt; READ; FAILED ranks above them all. Statuses only ever move a row up. */
    public int deliveryRank() {
        return deliveryRank;
    }
}
