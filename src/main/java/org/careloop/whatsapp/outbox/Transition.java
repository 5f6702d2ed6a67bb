package org.careloop.whatsapp.outbox;

import java.time.Instant;

/**
 * How a claimed row leaves the CLAIMED state after a send attempt.
 *
 * @param nextAttemptAt for PLANNED: when to try again
 * @param countsAsAttempt false when the message was not sent at all (deferred for the pair limit or a paused
 *                        template), so the attempt the claim counted is given back
 */
public record Transition(OutboundState state, Instant nextAttemptAt, String wamid, Integer errorCode, String reason,
        boolean countsAsAttempt) {

    public static Transition accepted(String wamid) {
        return new Transition(OutboundState.SENT, null, wamid, null, null, true);
    }

    public static Transition retryAt(Instant at, Integer errorCode, String reason) {
        return new Transition(OutboundState.PLANNED, at, null, errorCode, reason, true);
    }

    public static Transition deferTo(Instant at, String reason) {
        return new Transition(OutboundState.PLANNED, at, null, null, reason, false);
    }

    public static Transition failed(Integer errorCode, String reason) {
        return new Transition(OutboundState.FAILED, null, null, errorCode, reason, true);
    }

    public static Transition unknown(String reason) {
        return new Transition(OutboundState.UNKNOWN, null, null, null, reason, true);
    }

    public static Transition suppressed(String reason) {
        return new Transition(OutboundState.SUPPRESSED, null, null, null, reason, false);
    }
}
