package org.careloop.whatsapp.outbox;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces sends to a steady rate (a token bucket with a small burst): Meta counts messages per second per number, and a
 * burst that fits the average can still trip 130429. Used by the outbox consumer's one thread.
 */
final class SendPacer {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    /** @param perSecond sends per second; @param burst how many may go back to back (at least 1) */
    SendPacer(double perSecond, double burst) {
        this.perNano = perSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.refilledAt = System.nanoTime();
    }

    /** Waits until a send is allowed, and takes it. */
    void acquire() throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return;
            }
            LockSupport.parkNanos((long) ((1 - tokens) / perNano));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
