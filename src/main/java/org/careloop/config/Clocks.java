package org.careloop.config;

import java.time.Clock;
import java.time.ZoneId;
import org.apache.camel.CamelContext;

/**
 * The engine's clock: the system clock, or the one bound as {@code careloopClock} before start-up (tests control
 * time through it: reminders due in two days, quiet hours, expiry after downtime).
 */
public final class Clocks {

    public static final String BEAN = "careloopClock";

    private Clocks() {
    }

    public static Clock of(CamelContext camel, ZoneId zone) {
        Clock bound = camel.getRegistry().lookupByNameAndType(BEAN, Clock.class);
        return bound == null ? Clock.system(zone) : bound.withZone(zone);
    }
}
