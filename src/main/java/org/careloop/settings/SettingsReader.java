package org.careloop.settings;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/**
 * Reads {@code careloop.*} keys as typed values, failing start-up with a message that names the key, the value and
 * the fix. Values come through Camel's properties component, so application.properties, a team's own locations, the
 * environment ({@code CARELOOP_STORE_URL}) and overrides all apply, with their placeholders resolved. Every key has
 * its default in CareLoop's application.properties and nowhere else: a key that is missing fails start-up.
 */
public final class SettingsReader {

    private final Function<String, Optional<String>> lookup;

    /** Reads through {@code lookup}, which gives a key's resolved value or nothing when the key is not set. */
    public SettingsReader(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** Reads the properties of a Camel context. */
    public static SettingsReader of(CamelContext camel) {
        return new SettingsReader(camel.getPropertiesComponent()::resolveProperty);
    }

    /** The value, trimmed; "" when the key is set to nothing. */
    public String text(String key) {
        return lookup.apply(key).map(String::trim).orElseThrow(() -> new IllegalArgumentException(key
                + " is not set: CareLoop's application.properties gives every key its default; add it to the "
                + "properties locations (classpath:careloop/application.properties) or set " + key
                + " or the environment variable " + environmentName(key)));
    }

    /** A value that must not be empty. */
    public String required(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " is empty; give it a value");
        }
        return value;
    }

    public boolean flag(String key) {
        String value = required(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "use true or false");
        };
    }

    /** A whole number of at least {@code min}. */
    public int integer(String key, int min) {
        return wholeNumber(key, min, Integer.MAX_VALUE, "is not valid; use a whole number of at least " + min);
    }

    /** A TCP port to listen on or call. */
    public int port(String key) {
        return wholeNumber(key, 1, 65_535, "is not a TCP port; use 1 to 65535");
    }

    /** A number greater than zero (a rate). */
    public double positive(String key) {
        return number(key, false);
    }

    /** A duration given in milliseconds (a key ending in -ms). */
    public Duration millis(String key) {
        return Duration.ofMillis(integer(key, 0));
    }

    /** A duration given in seconds, fractions allowed. */
    public Duration seconds(String key) {
        return inUnits(key, 1_000);
    }

    /** A duration given in minutes, fractions allowed. */
    public Duration minutes(String key) {
        return inUnits(key, 60_000);
    }

    /** A duration given in hours, fractions allowed ({@code 0.5} is 30 minutes). */
    public Duration hours(String key) {
        return inUnits(key, 3_600_000);
    }

    /** One of an enum's constants, written in any case, with - for _ ({@code as-msh-15-asks}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        String value = text(key);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            throw invalid(key, value, "use one of: " + allowed);
        }
    }

    public ZoneId zone(String key) {
        String value = text(key);
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(key + "=" + value
                    + " is not a time zone; use an IANA id such as Europe/London or America/Chicago");
        }
    }

    public Charset charset(String key) {
        String value = text(key);
        try {
            return Charset.forName(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a charset; use e.g. UTF-8");
        }
    }

    public Path path(String key) {
        return Path.of(required(key));
    }

    /** A comma-separated list, blanks dropped. */
    public List<String> list(String key) {
        return Arrays.stream(text(key).split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /**
     * A secret from its key (set it through the environment) or else from the file its {@code -file} key names;
     * empty when neither is set.
     */
    public Secret secret(String key, String fileKey) {
        String value = text(key);
        if (!value.isEmpty()) {
            return new Secret(key, value);
        }
        String file = text(fileKey);
        if (file.isEmpty()) {
            return new Secret(key, "");
        }
        try {
            return new Secret(key, Files.readString(Path.of(file)).trim());
        } catch (IOException e) {
            throw new IllegalArgumentException(fileKey + "=" + file + " cannot be read (" + e.getMessage()
                    + "); point it at the file holding " + key + ", or set " + key + " instead");
        }
    }

    /** A secret that has no file key. */
    public Secret secret(String key) {
        return new Secret(key, text(key));
    }

    private Duration inUnits(String key, long unitMillis) {
        return Duration.ofMillis(Math.round(number(key, true) * unitMillis));
    }

    /** A duration in Camel's notation: {@code 15m}, {@code 1h30m}, {@code 300ms}, or milliseconds. */
    public Duration camelDuration(String key) {
        String value = required(key);
        try {
            return Duration.ofMillis(TimeUtils.toMilliSeconds(value));
        } catch (IllegalArgumentException e) {
            throw invalid(key, value, "use a duration such as 15m, 1h or 300ms");
        }
    }

    private double number(String key, boolean zeroAllowed) {
        String value = required(key);
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number) && (number > 0 || zeroAllowed && number == 0)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw invalid(key, value, zeroAllowed ? "use a number of at least 0" : "use a number greater than 0");
    }

    private int wholeNumber(String key, int min, int max, String problemAndFix) {
        String value = required(key);
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(key + "=" + value + " " + problemAndFix);
    }

    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static IllegalArgumentException invalid(String key, String value, String fix) {
        return new IllegalArgumentException(key + "=" + value + " is not valid; " + fix);
    }
}
