package org.careloop.ops;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.apache.camel.model.Model;
import org.careloop.testing.EngineTest;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/** The operator API over real HTTP: authentication, inspection, replay and reprocessing, bad requests. */
class OperatorApiTest extends EngineTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void refusesRequestsWithoutTheBearerToken() throws Exception {
        HttpResponse<String> none = http("GET", "/api/status", null, null);
        HttpResponse<String> wrong = http("GET", "/api/status", "not-the-token", null);

        assertStatus(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(json.readTree(none.body()).path("error").asText()).isEqualTo("missing or wrong bearer token");
        assertStatus(wrong, 401);
    }

    @Test
    void servesTheOpenApiDocumentOfEveryVerb() throws Exception {
        HttpResponse<String> served = http("GET", "/api/openapi.json", null, null);

        assertStatus(served, 200);
        JsonNode document = json.readTree(served.body());
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("info").path("title").asText()).isEqualTo("CareLoop operator API");
        JsonNode paths = document.path("paths");
        JsonNode reprocess = paths.path("/api/hl7/journal/{id}/reprocess").path("post");
        assertThat(reprocess.path("summary").asText()).isEqualTo("A FAILED or IGNORED journal entry goes back in line");
        assertThat(reprocess.path("parameters").findValuesAsText("name")).containsExactly("id");
        assertThat(paths.path("/api/queues").has("get")).isTrue();
        // a JSON request is read by the REST binding into its verb's type, which the document describes
        assertThat(paths.path("/api/consent").path("post").path("requestBody").path("content")
                .path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/ConsentRequest");
        assertThat(document.path("components").path("schemas").path("ConsentRequest").path("properties")
                .fieldNames()).toIterable().containsExactly("patient", "phone", "status", "source");
        int operations = 0;
        for (JsonNode path : paths) {
            operations += path.size();
        }
        Model model = engine.camelContext().getCamelContextExtension().getContextPlugin(Model.class);
        assertThat(operations).as("every verb of routes/operator-api.yaml")
                .isEqualTo(model.getRestDefinitions().stream().mapToInt(rest -> rest.getVerbs().size()).sum());
    }

    @Test
    void reportsHowManyMessagesAreInEachState() throws Exception {
        sendABookingAndAnUnhandledType();

        JsonNode status = json.readTree(api("GET", "/api/status").body());

        assertThat(status.path("journal").path("PROCESSED").asLong()).isEqualTo(1);
        assertThat(status.path("journal").path("IGNORED").asLong()).isEqualTo(1);
        assertThat(status.path("journal").path("FAILED").asLong()).isZero();
        assertThat(status.path("careEvents").asLong()).isEqualTo(1);
    }

    @Test
    void withoutAStateTheJournalListsEveryEntryNewestFirst() throws Exception {
        sendABookingAndAnUnhandledType();

        JsonNode all = json.readTree(api("GET", "/api/hl7/journal").body());
        JsonNode ignored = json.readTree(api("GET", "/api/hl7/journal?state=IGNORED").body());

        assertThat(all.findValuesAsText("messageType")).containsExactly("MFN^M02", "SIU^S12");
        assertThat(all.findValuesAsText("state")).containsExactly("IGNORED", "PROCESSED");
        assertThat(ignored.findValuesAsText("messageType")).containsExactly("MFN^M02");
    }

    /** A booking that becomes an event, and an MFN kept as IGNORED. */
    private void sendABookingAndAnUnhandledType() throws Exception {
        send(Samples.bytes("epic-siu-s12-v23.hl7"));
        send(Samples.bytes("invalid/mfn-m02-unhandled.hl7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM care_event") == 1);
    }

    @Test
    void showsARejectedMessageAndReplaysItCorrected() throws Exception {
        send(Samples.bytes("invalid/siu-s12-no-appointment-ids.hl7"));
        JsonNode list = json.readTree(api("GET", "/api/hl7/rejected").body());
        long id = list.get(0).path("id").asLong();
        assertThat(list.get(0).path("ackCode").asText()).isEqualTo("AE");
        assertThat(list.get(0).path("errorLocation").asText()).isEqualTo("SCH-2");
        assertThat(list.get(0).has("raw")).isFalse();

        JsonNode entry = json.readTree(api("GET", "/api/hl7/rejected/" + id).body());
        assertThat(entry.path("message").asText())
                .isEqualTo(Samples.text("invalid/siu-s12-no-appointment-ids.hl7"));

        HttpResponse<String> asSent = http("POST", "/api/hl7/rejected/" + id + "/replay", API_TOKEN, null);
        assertThat(json.readTree(asSent.body()).path("ack").asText()).isEqualTo("AE");

        byte[] corrected = Samples.text("invalid/siu-s12-no-appointment-ids.hl7")
                .replace("SCH||||||NEW", "SCH|29999^EPIC|38000^EPIC||||NEW").getBytes(StandardCharsets.US_ASCII);
        JsonNode replayed = json.readTree(http("POST", "/api/hl7/rejected/" + id + "/replay", API_TOKEN, corrected)
                .body());

        assertThat(replayed.path("ack").asText()).isEqualTo("AA");
        assertThat(replayed.path("journalId").asLong()).isPositive();
        JsonNode after = json.readTree(api("GET", "/api/hl7/rejected/" + id).body());
        assertThat(after.path("rejection").path("replayOutcome").asText()).isEqualTo("AA: stored");
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT COUNT(*) FROM care_event WHERE appointment_key = 'EPIC|38000'") == 1);
    }

    @Test
    void putsAFailedEntryBackInLine() throws Exception {
        send(Samples.bytes("epic-siu-s12-v23.hl7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM care_event") == 1);
        long journalId = count("SELECT MAX(id) FROM hl7_journal");
        markFailed(journalId);

        HttpResponse<String> reprocess = api("POST", "/api/hl7/journal/" + journalId + "/reprocess");

        assertStatus(reprocess, 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT COUNT(*) FROM hl7_journal WHERE state = 'PROCESSED'") == 1);
        assertThat(count("SELECT COUNT(*) FROM care_event")).isEqualTo(1);
        JsonNode entry = json.readTree(api("GET", "/api/hl7/journal/" + journalId).body());
        assertThat(entry.path("entry").path("state").asText()).isEqualTo("PROCESSED");
        assertThat(entry.path("events").get(0).path("event").path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
    }

    @Test
    void answersBadRequestsWithAJsonError() throws Exception {
        assertError(api("GET", "/api/hl7/journal?state=LOST"), 400,
                "state must be one of RECEIVED, PROCESSED, FAILED, IGNORED");
        assertError(api("GET", "/api/hl7/rejected?limit=0"), 400, "limit must be between 1 and 1000");
        assertError(api("GET", "/api/hl7/journal/abc"), 400, "id must be a number, not 'abc'");
        assertError(api("GET", "/api/hl7/rejected/999"), 404, "no rejected message 999");
        assertError(api("POST", "/api/hl7/journal/999/reprocess"), 409,
                "journal entry 999 does not exist or is not FAILED or IGNORED");
    }

    private void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertStatus(response, status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json.readTree(response.body()).path("error").asText()).isEqualTo(error);
    }

    /** As an extraction failure would leave it, with its event gone (an operator deleted a bad one, say). */
    private void markFailed(long journalId) throws Exception {
        try (Connection connection = store().getConnection();
                PreparedStatement deleteEvent = connection.prepareStatement("DELETE FROM care_event WHERE journal_id = ?");
                PreparedStatement fail = connection.prepareStatement(
                        "UPDATE hl7_journal SET state = 'FAILED', state_reason = 'test' WHERE id = ?")) {
            deleteEvent.setLong(1, journalId);
            deleteEvent.executeUpdate();
            fail.setLong(1, journalId);
            fail.executeUpdate();
            connection.commit();
        }
    }
}
