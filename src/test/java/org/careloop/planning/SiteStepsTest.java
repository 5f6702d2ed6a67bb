package org.careloop.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.careloop.testing.EditedRoutes;
import org.careloop.testing.EngineTest;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/**
 * What the README shows a team doing with YAML alone: in a copy of {@code routes/}, two steps added to the planning
 * route between loading the CareEvent and planning it (a copy of every event, as JSON, to a file; the test clinic's
 * events dropped) and one route file of their own. The engine runs on that copy; the test clinic's booking plans
 * nothing, the other is planned, and both events are in the copies directory.
 */
class SiteStepsTest extends EngineTest {

    /** The steps, as the README gives them, after the route's first step (the load). */
    private static final String SITE_STEPS = """
                    # our site: every CareEvent copied, as JSON, for the data warehouse
                    - wireTap:
                        uri: "direct:care-event-copies"
                    # our site: the test clinic's events are not for patients
                    - filter:
                        simple: "${body.source.sendingFacility} == 'TESTCLINIC'"
                        steps:
                          - stop: {}
            """;
    private static final String COPIES_ROUTE = """
            - route:
                id: care-event-copies
                from:
                  uri: "direct:care-event-copies"
                  steps:
                    - marshal:
                        json:
                          library: Jackson
                          moduleClassNames: com.fasterxml.jackson.datatype.jsr310.JavaTimeModule
                    # written under a temporary name, then renamed: a reader never sees half a file
                    - to: "file:{{site.copies-dir}}?fileName=${header.CareLoopEventId}.json&tempFileName=${file:name}.tmp"
            """;

    private Path copies;

    @Override
    protected Map<String, String> properties() {
        copies = dataDir.resolve("copies");
        EditedRoutes routes = EditedRoutes.copyInto(dataDir.resolve("routes"))
                .insertAfter("planning.yaml", "            method: load\n", SITE_STEPS)
                .add("site-copies.yaml", COPIES_ROUTE);
        return Map.of("camel.main.routes-include-pattern", routes.includePattern(),
                "site.copies-dir", copies.toString());
    }

    @Test
    void aFilterAndAWireTapAddedInYamlDropTheTestClinicsEventsAndCopyEveryEvent() throws Exception {
        optIn("EPI|E5001", "+16175550123");
        optIn("EPI|E5002", "+16175550123");
        byte[] testClinic = new String(Samples.siu("SITE-1", "5001"), StandardCharsets.UTF_8)
                .replace("|EPIC|EPICADT|", "|EPIC|TESTCLINIC|").getBytes(StandardCharsets.UTF_8);

        deliver(testClinic);
        deliver(Samples.siu("SITE-2", "5002"));

        assertThat(planned("appointment:EPIC|5001")).as("the test clinic's booking").isEmpty();
        assertThat(count("SELECT COUNT(*) FROM care_event WHERE appointment_key = 'EPIC|5001' AND plan_state = "
                + "'NEW'")).as("dropped by the filter, not planned").isEqualTo(1);
        assertThat(planned("appointment:EPIC|5002")).isNotEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> copiedControlIds().size() == 2);
        assertThat(copiedControlIds()).containsExactlyInAnyOrder("SITE-1", "SITE-2");
    }

    private List<String> copiedControlIds() throws IOException {
        if (!Files.isDirectory(copies)) {
            return List.of();
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(copies)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> {
                try {
                    JsonNode event = json.readTree(f.toFile());
                    return event.path("source").path("controlId").asText();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
