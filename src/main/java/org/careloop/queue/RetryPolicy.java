package org.careloop.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with ±25% jitter, capped, for a bounded number of attempts. */
public record RetryPolicy(Duration first, Duration max, int maxAttempts) {

    /** When to try again after the {@code attempts}-th failed attempt (1-based). */
    public Instant next(Instant now, int attempts) {
        double millis = Math.min(max.toMillis(), first.toMillis() * Math.pow(2, Math.max(0, attempts - 1)));
        return now.plusMillis((long) (millis * ThreadLocalRandom.current().nextDouble(0.75, 1.25)));
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
