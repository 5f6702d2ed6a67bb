package org.careloop.whatsapp.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Meta's two throughput limits, as the simulator enforces them: a per-number token bucket holding one second's worth
 * of messages (130429 when empty) and at most one message per recipient per pair interval (131056).
 */
final class Limits {

    private final double perSecond;
    private final long pairIntervalNanos;
    private double tokens;
    private long refilledAt;
    private final Map<String, Long> lastAccepted = new HashMap<>();

    Limits(double perSecond, Duration pairInterval, long nowNanos) {
        this.perSecond = perSecond;
        this.pairIntervalNanos = pairInterval.toNanos();
        this.tokens = perSecond;
        this.refilledAt = nowNanos;
    }

    /** Takes a send for this recipient if both limits allow it; else says which error code refuses it. */
    synchronized int admit(String recipient, long nowNanos) {
        Long last = lastAccepted.get(recipient);
        if (last != null && nowNanos - last < pairIntervalNanos) {
            return 131056;
        }
        tokens = Math.min(perSecond, tokens + (nowNanos - refilledAt) / 1e9 * perSecond);
        refilledAt = nowNanos;
        if (tokens < 1) {
            return 130429;
        }
        tokens -= 1;
        lastAccepted.put(recipient, nowNanos);
        if (lastAccepted.size() > 100_000) {
            lastAccepted.values().removeIf(t -> nowNanos - t >= pairIntervalNanos);
        }
        return 0;
    }
}
