package org.careloop.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.careloop.app.CareLoopEngine;
import org.careloop.testing.LogCapture;
import org.careloop.testing.Outboxes;
import org.careloop.testing.TestEngines;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.SimulatorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud mode, as against Meta: base URL, version, ids and secrets from configuration, the secrets from files. A
 * separately started simulator stands in for Meta and only accepts the token from the file.
 */
class CloudModeTest {

    private static final String TOKEN = "EAAG-token-from-a-file-0123456789";

    @TempDir
    Path dir;

    @Test
    void sendsWithTheTokenFromItsFileAndNeverLogsIt() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.writeString(dir.resolve("app-secret"), "app-secret-from-a-file\n");
        Map<String, String> settings = TestEngines.settings(dir.resolve("data"));
        try (CloudApiSimulator meta = CloudApiSimulator.start(new SimulatorSettings("127.0.0.1", 0, TOKEN,
                "app-secret-from-a-file", "555001", "555002", "", TemplateCatalog.load(Path.of("mappings",
                        "templates.yaml")), 80, Duration.ofSeconds(6), Duration.ofSeconds(1)));
                LogCapture logs = new LogCapture()) {
            settings.putAll(Map.of("careloop.whatsapp.mode", "cloud",
                    "careloop.whatsapp.base-url", "http://127.0.0.1:" + meta.port(),
                    "careloop.whatsapp.api-version", "v24.0",
                    "careloop.whatsapp.phone-number-id", "555001",
                    "careloop.whatsapp.business-account-id", "555002",
                    "careloop.whatsapp.token-file", dir.resolve("token").toString(),
                    "careloop.whatsapp.app-secret-file", dir.resolve("app-secret").toString()));
            try (CareLoopEngine engine = CareLoopEngine.start(settings)) {
                Outboxes outbox = Outboxes.of(engine);

                long id = outbox.planTemplate("cloud-1", "+16175550180", "appointment_reminder", Instant.now());

                await().atMost(Duration.ofSeconds(15)).until(() -> outbox.state(id) == OutboundState.SENT);
                assertThat(meta.received()).singleElement().satisfies(r ->
                        assertThat(r.path()).isEqualTo("/v24.0/555001/messages"));
                assertThat(engine.camelContext().getRegistry().lookupByName("cloudApiSimulator")).isNull();
            }
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(TOKEN));
        }
    }

    @Test
    void refusesToStartInCloudModeWithoutAToken() {
        Map<String, String> settings = TestEngines.settings(dir.resolve("data"));
        settings.put("careloop.whatsapp.mode", "cloud");

        Throwable failure = catchThrowable(() -> CareLoopEngine.start(settings).close());

        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root).hasMessage("careloop.whatsapp.token is not set: set the environment variable "
                + "CARELOOP_WHATSAPP_TOKEN or careloop.whatsapp.token-file");
    }
}
