package org.careloop.planning;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The hours a site sends nothing, e.g. 21:00-08:00 local time (the range may cross midnight).
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {

    /** "21:00-08:00", or empty for none. */
    public static Optional<QuietHours> parse(String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] parts = value.trim().split("-");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("two times expected");
            }
            return Optional.of(new QuietHours(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()),
                    zone));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("careloop.site.quiet-hours=" + value
                    + " is not a time range; use e.g. 21:00-08:00, or leave it empty for none");
        }
    }

    public boolean isQuiet(Instant at) {
        LocalTime time = at.atZone(zone).toLocalTime();
        return start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }

    /**
     * The nearer edge of the quiet period {@code at} falls in: the last minute before it began, or its end. A 21:30
     * dose in 21:00-08:00 is reminded of at 20:59, a 07:00 one at 08:00.
     */
    public Instant nearerEdgeOf(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime began = local.with(start);
        if (began.isAfter(local)) {
            began = began.minusDays(1);
        }
        Instant end = endOf(at);
        return Duration.between(began.toInstant(), at).compareTo(Duration.between(at, end)) <= 0
                ? began.minusMinutes(1).toInstant() : end;
    }

    /** The first moment after {@code at} when the quiet period it falls in is over. */
    public Instant endOf(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime end = local.with(this.end);
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }
}
