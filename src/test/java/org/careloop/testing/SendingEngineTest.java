package org.careloop.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An engine that sends to its WhatsApp simulator on a clock the test moves, from Thursday 10 December 2026, 10:00 in
 * New York (the site's zone; quiet hours 21:00-08:00). Meta's pair limit is off: the simulator would keep it in real
 * time and the dispatcher on this clock.
 */
public abstract class SendingEngineTest extends EngineTest {

    protected static final Instant THURSDAY_MORNING = Instant.parse("2026-12-10T15:00:00Z");
    /** The dispatcher still spaces two messages to one number by a quarter second: move the clock past it. */
    protected static final Duration PAIR_SPACING = Duration.ofSeconds(1);

    protected final MutableClock clock = new MutableClock(THURSDAY_MORNING);

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.whatsapp.pair-interval-seconds", "0", "careloop.whatsapp.dispatch.idle-poll-ms", "50");
    }

    /** What the patients received. */
    protected PatientInbox inbox() {
        return new PatientInbox(engine);
    }
}
