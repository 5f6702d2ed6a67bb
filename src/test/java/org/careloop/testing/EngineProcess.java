package org.careloop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.careloop.app.CareLoopMain;

/**
 * The engine as an operator runs it, in a process of its own configured only through CARELOOP_* environment
 * variables, its output appended to {@code engine.log} in its data directory: so that a test can kill it as the OOM
 * killer or {@code kill -9} would.
 */
public final class EngineProcess {

    private final Path dataDir;
    private final Process process;

    private EngineProcess(Path dataDir, Process process) {
        this.dataDir = dataDir;
        this.process = process;
    }

    public static EngineProcess start(Path dataDir, Map<String, String> settings) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CareLoopMain.class.getName());
        settings.forEach((property, value) -> builder.environment()
                .put(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("engine.log").toFile()));
        return new EngineProcess(dataDir, builder.start());
    }

    /** Waits until the engine accepts connections on the port. */
    public void awaitListening(int port) {
        awaitListening(process, port, dataDir.resolve("engine.log"));
    }

    /** Waits until a process of a test's accepts connections on the port, failing with its log if it ends first. */
    public static void awaitListening(Process process, int port, Path log) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as("the process is running; its log ends:%n%s", tail(log)).isTrue();
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** SIGKILL, as the OOM killer or {@code kill -9} would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the engine process ended").isTrue();
    }

    /** The last lines of a log, for a failure's message. */
    public static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
