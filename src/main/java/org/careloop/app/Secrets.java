package org.careloop.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A secret from its property (set it through the environment) or from a file, never from a log. */
final class Secrets {

    private Secrets() {
    }

    /** The value, else the file's trimmed content, else "". */
    static String resolve(String property, String value, String fileProperty, String file) {
        if (value != null && !value.isBlank()) {
            return value.trim();
        }
        if (file == null || file.isBlank()) {
            return "";
        }
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException(fileProperty + "=" + file + " cannot be read (" + e.getMessage()
                    + "); point it at the file holding " + property + ", or set " + property + " instead");
        }
    }

    /** Fails start-up naming the property and the environment variable to set. */
    static String required(String property, String secret) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(property + " is not set: set the environment variable "
                    + property.toUpperCase().replace('.', '_').replace('-', '_') + " or " + property + "-file");
        }
        return secret;
    }
}
