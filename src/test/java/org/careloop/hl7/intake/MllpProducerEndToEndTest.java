package org.careloop.hl7.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.careloop.app.CareLoopEngine;
import org.careloop.testing.Samples;
import org.careloop.testing.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * camel-mllp as the sending interface engine, talking to a running CareLoop: every sample is acknowledged AA and
 * becomes an event, and names keep their accents from the wire to the API.
 */
class MllpProducerEndToEndTest extends CamelTestSupport {

    @TempDir
    Path dataDir;
    private int mllpPort;
    private int httpPort;
    private CareLoopEngine engine;

    @BeforeEach
    void startEngine() throws Exception {
        Map<String, String> settings = TestEngines.settings(dataDir);
        mllpPort = Integer.parseInt(settings.get("careloop.mllp.port"));
        httpPort = Integer.parseInt(settings.get("careloop.http.port"));
        engine = CareLoopEngine.start(settings);
    }

    @AfterEach
    void stopEngine() throws Exception {
        engine.close();
    }

    @Test
    void everySampleIsAcknowledgedAndBecomesAnEvent() throws Exception {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Samples.DIR)) {
            samples = files.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(12);

        for (Path sample : samples) {
            Exchange reply = template().request("mllp://127.0.0.1:" + mllpPort, exchange -> exchange.getMessage()
                    .setBody(Files.readAllBytes(sample)));
            assertThat(reply.getException()).as(sample.toString()).isNull();
            assertThat(reply.getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, String.class))
                    .as(sample.toString()).isEqualTo("AA");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> events().size() == samples.size());
        assertThat(events().findValuesAsText("family")).contains("NÚÑEZ");
        assertThat(events().findValuesAsText("description")).contains("Clínica de Cardiología");
        assertThat(events().findValues("warnings")).hasSize(samples.size()).allMatch(JsonNode::isEmpty);
    }

    @Test
    void theMllpComponentDoesNotLogPhi() {
        MllpComponent mllp = engine.camelContext().getComponent("mllp", MllpComponent.class);

        assertThat(mllp.getLogPhi()).isFalse();
    }

    private JsonNode events() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/events?limit=100"))
                .header("Authorization", "Bearer " + TestEngines.API_TOKEN).build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .body();
        return new ObjectMapper().readTree(body);
    }
}
