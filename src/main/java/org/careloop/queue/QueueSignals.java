package org.careloop.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a queue's consumer when work was committed to it in this engine, so that a hand-off does not wait for the
 * idle delay (which remains, for work that arrives otherwise: another instance, a retry coming due).
 */
final class QueueSignals {

    private final Map<String, Semaphore> signals = new ConcurrentHashMap<>();

    void signal(String queue) {
        Semaphore signal = of(queue);
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    /** Waits for a signal, at most {@code idle}; returns at once if one came since the last wait. */
    void await(String queue, Duration idle) throws InterruptedException {
        Semaphore signal = of(queue);
        signal.tryAcquire(idle.toMillis(), TimeUnit.MILLISECONDS);
        signal.drainPermits();
    }

    private Semaphore of(String queue) {
        return signals.computeIfAbsent(queue, name -> new Semaphore(0));
    }
}
