package org.careloop.whatsapp.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one message per recipient per pair interval (Meta's pair rate limit, 1 per 6 s by default), and, when Meta
 * answers 131056 anyway, a per-recipient backoff of 4^n seconds that resets on the next accepted message.
 *
 * <p>The interval counts from the moment a request actually leaves ({@link #sending}), plus a quarter-second margin:
 * Meta measures between arrivals, and jitter between two sends must not make them look closer than the interval.
 */
final class PairLimiter {

    private record Recipient(Instant nextAllowed, int backoffLevel) {
    }

    private static final Duration MARGIN = Duration.ofMillis(250);

    private final Duration interval;
    private final Map<String, Recipient> recipients = new ConcurrentHashMap<>();

    PairLimiter(Duration interval) {
        this.interval = interval.plus(MARGIN);
    }

    /** A send that happened before this run started, so the interval holds across a restart. */
    void sentBefore(String recipient, Instant sentAt) {
        recipients.merge(recipient, new Recipient(sentAt.plus(interval), 0),
                (a, b) -> a.nextAllowed().isAfter(b.nextAllowed()) ? a : b);
    }

    /** Takes the recipient's slot now, or says when it will be free. */
    Optional<Instant> reserve(String recipient, Instant now) {
        Instant[] wait = new Instant[1];
        recipients.compute(recipient, (key, current) -> {
            if (current != null && current.nextAllowed().isAfter(now)) {
                wait[0] = current.nextAllowed();
                return current;
            }
            return new Recipient(now.plus(interval), current == null ? 0 : current.backoffLevel());
        });
        if (recipients.size() > 100_000) {
            recipients.values().removeIf(r -> r.nextAllowed().isBefore(now) && r.backoffLevel() == 0);
        }
        return Optional.ofNullable(wait[0]);
    }

    /** The request to this recipient leaves now: its interval counts from here. */
    void sending(String recipient, Instant now) {
        recipients.compute(recipient, (key, current) -> {
            Instant next = now.plus(interval);
            return current == null ? new Recipient(next, 0) : new Recipient(
                    next.isAfter(current.nextAllowed()) ? next : current.nextAllowed(), current.backoffLevel());
        });
    }

    /** Meta said 131056: wait 4^level seconds (1, 4, 16, 64 s... capped at an hour) before this recipient again. */
    Instant backOff(String recipient, Instant now) {
        Recipient updated = recipients.compute(recipient, (key, current) -> {
            int level = current == null ? 0 : current.backoffLevel();
            long seconds = Math.min(3600, (long) Math.pow(4, level));
            return new Recipient(now.plusSeconds(seconds), level + 1);
        });
        return updated.nextAllowed();
    }

    void accepted(String recipient) {
        recipients.computeIfPresent(recipient, (key, current) -> new Recipient(current.nextAllowed(), 0));
    }
}
