package org.careloop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of {@code routes/} a test edits as a team would, with the setting that has the engine load it. */
public final class EditedRoutes {

    private final Path directory;

    private EditedRoutes(Path directory) {
        this.directory = directory;
    }

    /** Copies every route file of {@code routes/} into {@code directory}. */
    public static EditedRoutes copyInto(Path directory) {
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, directory.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EditedRoutes(directory);
    }

    /** Puts {@code steps} right after the line {@code after} of the route file (which must have it once). */
    public EditedRoutes insertAfter(String file, String after, String steps) {
        try {
            String routes = Files.readString(directory.resolve(file));
            assertThat(routes).containsOnlyOnce(after);
            Files.writeString(directory.resolve(file), routes.replace(after, after + steps));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Adds a route file of the team's own. */
    public EditedRoutes add(String file, String routes) {
        try {
            Files.writeString(directory.resolve(file), routes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The setting that has camel-main load these routes instead of {@code routes/}. */
    public String includePattern() {
        return "file:" + directory + "/*.yaml";
    }
}
