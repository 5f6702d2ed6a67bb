package org.careloop.hl7.extract;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** An amount with HL7/ISO+/UCUM-ish units ("30" "MIN", "1" "h", "45" "" meaning seconds) as a Duration. */
final class DurationReader {

    private DurationReader() {
    }

    static Optional<Duration> read(String amount, String units) {
        if (amount.isBlank()) {
            return Optional.empty();
        }
        BigDecimal value;
        try {
            value = new BigDecimal(amount.trim());
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
        long secondsPerUnit = switch (units.trim().toUpperCase(Locale.ROOT)) {
            case "", "S", "SEC", "SECS", "SECOND", "SECONDS" -> 1;
            case "M", "MIN", "MINS", "MINUTE", "MINUTES" -> 60;
            case "H", "HR", "HRS", "HOUR", "HOURS" -> 3600;
            case "D", "DAY", "DAYS" -> 86_400;
            default -> 0;
        };
        if (secondsPerUnit == 0 || value.signum() < 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(value.multiply(BigDecimal.valueOf(secondsPerUnit)).longValue()));
    }
}
