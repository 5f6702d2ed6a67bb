package org.careloop.settings;

/**
 * A secret setting (a token, a password): its value for the code that needs it, never for a log; {@link #toString()}
 * names only the key.
 */
public final class Secret {

    private final String key;
    private final String value;

    Secret(String key, String value) {
        this.key = key;
        this.value = value;
    }

    public String value() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** This secret, or {@code fallback} when it is not set (the sandboxes' well-known secrets). */
    public String orElse(String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    /** The value; fails start-up naming the key and the environment variable to set when there is none. */
    public String required() {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " is not set: set the environment variable "
                    + SettingsReader.environmentName(key) + " or " + key + "-file");
        }
        return value;
    }

    @Override
    public String toString() {
        return key + "=<secret>";
    }
}
