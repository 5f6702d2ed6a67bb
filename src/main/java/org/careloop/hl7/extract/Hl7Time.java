package org.careloop.hl7.extract;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Reads HL7 DTM/TS values ({@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}) leniently, as real feeds send them:
 * a value without an offset is in the site's time zone; digits past the seconds without a dot (Epic's 16-digit
 * MSH-7) are read as a fraction.
 */
public final class Hl7Time {

    /** @param dateOnly the value names a day but no time of day; {@code instant} is then the day's start */
    public record Moment(Instant instant, boolean dateOnly) {
    }

    private Hl7Time() {
    }

    public static Optional<Moment> parse(String value, ZoneId siteZone) {
        String v = value == null ? "" : value.trim();
        int offsetAt = Math.max(v.indexOf('+'), v.indexOf('-'));
        String offset = offsetAt > 0 ? v.substring(offsetAt) : "";
        String local = offsetAt > 0 ? v.substring(0, offsetAt) : v;
        String fraction = "";
        int dot = local.indexOf('.');
        if (dot >= 0) {
            fraction = local.substring(dot + 1);
            local = local.substring(0, dot);
        } else if (local.length() > 14) {
            fraction = local.substring(14);
            local = local.substring(0, 14);
        }
        if (local.length() < 8 || local.length() % 2 != 0 || !isDigits(local) || !isDigits(fraction)) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(number(local, 0, 4), number(local, 4, 6), number(local, 6, 8));
            int hour = local.length() >= 10 ? number(local, 8, 10) : 0;
            int minute = local.length() >= 12 ? number(local, 10, 12) : 0;
            int second = local.length() >= 14 ? number(local, 12, 14) : 0;
            int nanos = fraction.isEmpty() ? 0 : (int) (Double.parseDouble("0." + fraction) * 1_000_000_000);
            LocalDateTime dateTime = date.atTime(hour, minute, second, nanos);
            ZoneId zone = offset.isEmpty() ? siteZone : ZoneOffset.of(offset.length() == 5
                    ? offset.substring(0, 3) + ":" + offset.substring(3) : offset);
            return Optional.of(new Moment(dateTime.atZone(zone).toInstant(), local.length() == 8));
        } catch (RuntimeException invalid) {
            return Optional.empty();
        }
    }

    private static int number(String digits, int from, int to) {
        return Integer.parseInt(digits.substring(from, to));
    }

    private static boolean isDigits(String s) {
        return s.chars().allMatch(Character::isDigit);
    }
}
