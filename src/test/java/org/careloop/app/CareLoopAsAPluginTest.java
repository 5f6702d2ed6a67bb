package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.main.Main;
import org.careloop.event.CareEvent;
import org.careloop.event.EventJson;
import org.careloop.hl7.extract.CareEventExtractor;
import org.careloop.hl7.extract.ConsentField;
import org.careloop.hl7.extract.SiteCodes;
import org.careloop.hl7.journal.StoredMessage;
import org.careloop.testing.EngineProcess;
import org.careloop.testing.Siu;
import org.careloop.testing.TestEngines;
import org.careloop.testing.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CareLoop added to a team's own application, as the README's "CareLoop in your own Camel application" says: Camel's
 * own {@link Main}, not CareLoop's, in a process whose class path holds CareLoop's classes and their dependencies
 * and nothing else; CareLoop's defaults and routes read from its jar; the team's settings and a route of the team's
 * own from its directory. Those routes take CareEvents another system drops as JSON files, through a careloop-queue
 * of the team's, to careEventStore: each becomes a planned confirmation in CareLoop's outbox, as an HL7 booking
 * would.
 */
class CareLoopAsAPluginTest {

    private static final ZoneId SITE = ZoneId.of("America/New_York");
    private static final String PHONE = "+16175550188";
    private static final List<String> STATES = List.of("PLANNED", "CLAIMED", "SENT", "DELIVERED", "READ");

    @TempDir
    Path app;
    private Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    void aCareEventFromTheTeamsOwnRouteBecomesAPlannedConfirmation() throws Exception {
        int httpPort = TestPorts.next();
        copyDirectory(Path.of("mappings"), app.resolve("mappings"));
        Files.createDirectories(app.resolve("team-routes"));
        Files.createDirectories(app.resolve("events"));
        Files.writeString(app.resolve("team-routes/event-files.yaml"), """
                # The team's own routes: CareEvents another system writes as JSON files, put in a durable queue
                # before the file is deleted, then stored by CareLoop and planned like the events of its own feeds.
                - route:
                    id: team-event-files
                    from:
                      uri: "file:events?antInclude=*.json&delete=true"
                      steps:
                        - convertBodyTo:
                            type: java.lang.String
                        - to: "careloop-queue:team-events"
                - route:
                    id: team-events-to-careloop
                    routeConfigurationId: queue-stages
                    from:
                      uri: "careloop-queue:team-events"
                      steps:
                        - bean:
                            ref: careEventStore
                            method: store
                """);
        Files.writeString(app.resolve("team.properties"), String.join("\n",
                "camel.main.name = team-app",
                "camel.main.configuration-classes = " + CareLoopEngine.CONFIGURATIONS.stream().map(Class::getName)
                        .collect(Collectors.joining(",")),
                "camel.main.routes-include-pattern = classpath:careloop/routes/*.yaml,file:team-routes/*.yaml",
                "careloop.data-dir = ./data",
                "careloop.api.token = " + TestEngines.API_TOKEN,
                "careloop.mllp.port = " + TestPorts.next(),
                "careloop.http.port = " + httpPort,
                "careloop.whatsapp.sandbox.port = " + TestPorts.next(),
                "careloop.fhir.sandbox.port = " + TestPorts.next()) + "\n");

        process = startTeamApplication();
        EngineProcess.awaitListening(process, httpPort, app.resolve("app.log"));
        // the HTTP server listens before the routes are added to it: the API answers once the engine has started
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> http.send(
                request(httpPort, "/api/status").GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200);

        CareEvent booked = bookedEvent();
        String patient = booked.patient().key();
        assertThat(post(httpPort, "/api/consent", "{\"patient\":\"" + patient + "\",\"phone\":\"" + PHONE
                + "\",\"status\":\"opt-in\",\"source\":\"front desk\"}").statusCode()).isEqualTo(200);
        dropEvent(booked);

        String key = "booking-confirmation|appointment:" + booked.appointment().key() + "|now";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(outboundRow(httpPort, key)).as("planned; the application's log ends:%n%s", EngineProcess.tail(app.resolve("app.log")))
                        .isNotNull());
        JsonNode confirmation = outboundRow(httpPort, key);
        assertThat(confirmation.path("recipient").asText()).isEqualTo(PHONE);
        assertThat(confirmation.path("templateName").asText()).isEqualTo("appointment_confirmation");
        assertThat(confirmation.path("templateLanguage").asText()).isEqualTo("en_US");
        assertThat(confirmation.path("state").asText()).isIn(STATES);
        assertThat(Files.readString(app.resolve("app.log"))).as("CareLoop's routes and the team's ran in one context")
                .contains("team-event-files", "team-events-to-careloop", "care-events-to-outbox");
    }

    /** Camel's Main on CareLoop's classes and their dependencies: CareLoop's defaults first, then the team's. */
    private Process startTeamApplication() throws IOException {
        String classPath = Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(Path.of("target/runtime-classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-cp", classPath, Main.class.getName(),
                "-pl", "file:team.properties,classpath:careloop/application.properties"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true)
                .redirectOutput(app.resolve("app.log").toFile());
        return builder.start();
    }

    /** A booking a month from now, made just now, as CareLoop reads one, told as coming from the other system. */
    private CareEvent bookedEvent() throws IOException {
        String start = LocalDateTime.now(SITE).plusDays(30).withHour(9).withMinute(30)
                .format(DateTimeFormatter.ofPattern("yyyyMMddHHmm"));
        byte[] siu = new Siu("TEAM-1", "T-100", PHONE, "en").booked("TEAM-C1", start);
        CareEvent read = new CareEventExtractor(SITE, "US", SiteCodes.none(), ConsentField.parse("", "", ""))
                .extract(new StoredMessage(1, Instant.now(), "SIU", "S12", "UTF-8", siu));
        ObjectNode event = EventJson.mapper().valueToTree(read);
        ((ObjectNode) event.path("source")).put("channel", "team-scheduling")
                .put("messageTime", Instant.now().toString()).put("receivedAt", Instant.now().toString());
        return EventJson.mapper().treeToValue(event, CareEvent.class);
    }

    /** Written beside, then moved in: the file consumer never sees half a file. */
    private void dropEvent(CareEvent event) throws IOException {
        Path partial = app.resolve("events/.booked.json.part");
        Files.writeString(partial, EventJson.mapper().writeValueAsString(event));
        Files.move(partial, app.resolve("events/booked.json"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The outbox row, in whichever state it has reached (PLANNED in quiet hours, SENT soon after otherwise). */
    private JsonNode outboundRow(int port, String idempotencyKey) throws Exception {
        for (String state : STATES) {
            HttpResponse<String> response = http.send(request(port, "/api/whatsapp/outbound?state=" + state).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode row : json.readTree(response.body())) {
                if (row.path("idempotencyKey").asText().equals(idempotencyKey)) {
                    return row;
                }
            }
        }
        return null;
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(request(port, path).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TestEngines.API_TOKEN).timeout(Duration.ofSeconds(10));
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
