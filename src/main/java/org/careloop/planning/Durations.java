package org.careloop.planning;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as mappings write them: 90m, 48h, 3d. */
final class Durations {

    private static final Pattern OFFSET = Pattern.compile("(\\d+)\\s*(m|min|h|d)");

    private Durations() {
    }

    static Optional<Duration> parse(String text) {
        Matcher matcher = OFFSET.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        });
    }

    /** "48h", "90m": as a slot name or a reason shows it. */
    static String label(Duration duration) {
        return duration.toMinutes() % 60 == 0 ? duration.toHours() + "h" : duration.toMinutes() + "m";
    }
}
