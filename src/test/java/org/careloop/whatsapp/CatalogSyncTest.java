package org.careloop.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.careloop.whatsapp.catalog.CatalogSync;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.SimulatorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog sync reads every page of message_templates and writes a catalog the engine reads back unchanged. */
class CatalogSyncTest {

    @TempDir
    Path dir;

    @Test
    void syncingFromTheSimulatorWritesTheSameCatalog() throws Exception {
        TemplateCatalog shipped = TemplateCatalog.load(Path.of("mappings", "templates.yaml"));
        try (CloudApiSimulator meta = CloudApiSimulator.start(new SimulatorSettings("127.0.0.1", 0, "t", "s", "1",
                "waba-9", "", shipped, 80, Duration.ofSeconds(6), Duration.ofSeconds(1)))) {
            String base = "http://127.0.0.1:" + meta.port();

            TemplateCatalog fetched = CatalogSync.fetch(HttpClient.newHttpClient(), base, "v23.0", "waba-9", "t");
            Path out = dir.resolve("templates.yaml");
            Files.writeString(out, CatalogSync.toYaml(fetched));

            assertThat(fetched.templates()).hasSize(18).isEqualTo(shipped.templates());
            assertThat(TemplateCatalog.load(out)).isEqualTo(shipped);
        }
    }
}
