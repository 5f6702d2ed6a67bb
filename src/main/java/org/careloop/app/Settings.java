package org.careloop.app;

import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads typed settings, failing start-up with a message that names the property, the value and the fix. */
final class Settings {

    private Settings() {
    }

    static <E extends Enum<E>> E enumValue(String property, String value, Class<E> type) {
        String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, normalised);
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(property + "=" + value + " is not valid; use one of: " + allowed);
        }
    }

    static ZoneId zone(String property, String value) {
        try {
            return ZoneId.of(value.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(property + "=" + value
                    + " is not a time zone; use an IANA id such as Europe/London or America/Chicago");
        }
    }

    static Charset charset(String property, String value) {
        try {
            return Charset.forName(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + "=" + value + " is not a charset; use e.g. UTF-8");
        }
    }
}
