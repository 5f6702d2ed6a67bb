package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.careloop.testing.LogCapture;
import org.careloop.testing.TestEngines;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.SimulatorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret reaches a log line, at start-up (Camel's property summary among them) or later, in cloud mode with every
 * secret set, whether it comes from a property (as application.properties gives it), a file, an environment
 * variable or a -D system property.
 */
class SecretsStayOutOfLogsTest {

    /** Each secret by its property, with a value no other log text could contain by chance. */
    private static final Map<String, String> SECRETS = Map.of(
            "careloop.whatsapp.token", "EAAG-secret-access-token-7f3a",
            "careloop.whatsapp.app-secret", "secret-app-secret-91c2",
            "careloop.whatsapp.verify-token", "secret-verify-token-5d0e",
            "careloop.api.token", "secret-api-token-c4b8",
            "careloop.fhir.token", "secret-fhir-token-2a6f",
            "careloop.store.password", "secret-store-password-e19d");
    private static final String SUBSCRIPTION_SECRET = "secret-subscription-secret-83aa";

    @TempDir
    Path dir;
    private CloudApiSimulator meta;

    @BeforeEach
    void startMeta() throws IOException {
        meta = CloudApiSimulator.start(new SimulatorSettings("127.0.0.1", 0,
                SECRETS.get("careloop.whatsapp.token"), SECRETS.get("careloop.whatsapp.app-secret"), "555001",
                "555002", "", TemplateCatalog.load(Path.of("mappings", "templates.yaml")), 80, Duration.ofSeconds(6),
                Duration.ofSeconds(1)));
    }

    @AfterEach
    void stopMeta() {
        meta.close();
    }

    @Test
    void secretsGivenAsPropertiesAreNotLogged() throws Exception {
        Map<String, String> settings = cloudSettings();
        settings.putAll(SECRETS);
        assertNoSecretIn(engineLogLines(settings));
    }

    @Test
    void secretsGivenInFilesAreNotLogged() throws Exception {
        Map<String, String> settings = cloudSettings();
        for (String property : List.of("careloop.whatsapp.token", "careloop.whatsapp.app-secret",
                "careloop.fhir.token")) {
            Path file = dir.resolve(property);
            Files.writeString(file, SECRETS.get(property) + "\n");
            settings.put(property + "-file", file.toString());
        }
        assertNoSecretIn(engineLogLines(settings));
    }

    @Test
    void secretsGivenAsEnvironmentVariablesAreNotLogged() throws Exception {
        Map<String, String> environment = new HashMap<>();
        cloudSettings().forEach((property, value) -> environment.put(variable(property), value));
        SECRETS.forEach((property, value) -> environment.put(variable(property), value));
        assertNoSecretIn(engineProcessLog(environment, List.of()));
    }

    @Test
    void secretsGivenAsSystemPropertiesAreNotLogged() throws Exception {
        List<String> systemProperties = new ArrayList<>();
        cloudSettings().forEach((property, value) -> systemProperties.add("-D" + property + "=" + value));
        SECRETS.forEach((property, value) -> systemProperties.add("-D" + property + "=" + value));
        assertNoSecretIn(engineProcessLog(Map.of(), systemProperties));
    }

    private Map<String, String> cloudSettings() {
        Map<String, String> settings = TestEngines.settings(dir.resolve("data"));
        settings.remove("careloop.api.token");
        settings.putAll(Map.of("careloop.whatsapp.mode", "cloud",
                "careloop.whatsapp.base-url", "http://127.0.0.1:" + meta.port(),
                "careloop.whatsapp.phone-number-id", "555001",
                "careloop.whatsapp.business-account-id", "555002"));
        return settings;
    }

    private static List<String> engineLogLines(Map<String, String> settings) throws Exception {
        try (LogCapture logs = new LogCapture()) {
            CareLoopEngine.start(settings).close();
            return List.copyOf(logs.lines());
        }
    }

    /** Starts the engine as its own JVM, waits until it has started, and returns everything it printed. */
    private List<String> engineProcessLog(Map<String, String> environment, List<String> systemProperties)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(systemProperties);
        command.add(CareLoopMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().put("CARELOOP_FHIR_SUBSCRIPTION_SECRET", SUBSCRIPTION_SECRET);
        Path log = dir.resolve("engine.log");
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        Process engine = builder.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(engine.isAlive()).as("the engine is running: %s", Files.readString(log)).isTrue();
                return Files.readString(log).contains("CareLoop is running");
            });
        } finally {
            engine.destroy();
            engine.waitFor(30, TimeUnit.SECONDS);
        }
        return Files.readAllLines(log);
    }

    private static void assertNoSecretIn(List<String> lines) {
        assertThat(lines).as("the engine logged its start").anyMatch(line -> line.contains("CareLoop is running"));
        List<String> secrets = new ArrayList<>(SECRETS.values());
        secrets.add(SUBSCRIPTION_SECRET);
        for (String secret : secrets) {
            assertThat(lines).as("log lines containing %s", secret).noneMatch(line -> line.contains(secret));
        }
    }

    private static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
