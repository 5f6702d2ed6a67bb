package org.careloop.planning;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.careloop.testing.EngineTest;
import org.careloop.testing.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * Consent through the API (JSON and CSV), from the site's HL7 field, and its audit trail; bad input gets a 400 with
 * a JSON error.
 */
class ConsentTest extends EngineTest {

    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.consent.hl7-field", "ZPI-2", "careloop.whatsapp.dispatch.enabled", "false");
    }

    @Test
    void theApiRecordsConsentAndKeepsEveryChange() throws Exception {
        post("/api/consent", "{\"patient\":\"EPI|E1\",\"phone\":\"(617) 555-0130\",\"status\":\"opt-in\"}", 200);
        post("/api/consent", "{\"patient\":\"EPI|E1\",\"phone\":\"+16175550130\",\"status\":\"opt-out\","
                + "\"source\":\"phone call\"}", 200);

        JsonNode consent = json.readTree(api("GET", "/api/consent?phone=%2B16175550130").body());
        assertThat(consent.path("consent").path(0).path("status").asText()).isEqualTo("OPT_OUT");
        assertThat(consent.path("history").findValuesAsText("status")).containsExactly("OPT_IN", "OPT_OUT");
        assertThat(consent.path("history").findValuesAsText("source"))
                .containsExactly("api: operator", "api: phone call");
    }

    @Test
    void badRequestsGetAJsonErrorAndChangeNothing() throws Exception {
        assertError(post("/api/consent", "{not json", 400), "the body must be a JSON object");
        assertError(post("/api/consent", "{\"patient\":\"EPI|E1\",\"phone\":\"12\",\"status\":\"opt-in\"}", 400),
                "phone is not a valid phone number; write it in E.164, e.g. +16175550123");
        assertError(post("/api/consent", "{\"patient\":\"EPI|E1\",\"phone\":\"+16175550131\",\"status\":\"maybe\"}",
                400), "status must be opt-in or opt-out");
        assertError(post("/api/consent", "{\"phone\":\"+16175550131\",\"status\":\"opt-in\"}", 400),
                "patient is required: the patient id as authority|value");
        assertThat(count("SELECT COUNT(*) FROM consent_audit")).isZero();
    }

    @Test
    void aFormEncodedBodyGetsA400AndNeitherEchoesNorLogsIt() throws Exception {
        HttpResponse<String> response;
        try (LogCapture logs = new LogCapture()) {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + httpPort + "/api/consent")).header("Authorization", "Bearer " + API_TOKEN)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"patient\":\"EPI|E1\",\"phone\":\"+16175550133\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(logs.lines()).noneMatch(line -> line.contains("16175550133"));
        }
        assertStatus(response, 400);
        assertError(response, "the body must be a JSON object");
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.contains("16175550133"))
                .doesNotContain("authorization", "Authorization");
    }

    @Test
    void aCsvFileImportsItsValidLinesAndListsTheOthers() throws Exception {
        String csv = "patient,phone,status,source\n"
                + "EPI|E10,+16175550140,opt-in,paper form 2026-11\n"
                + "EPI|E11,not a phone,opt-in,\n"
                + "EPI|E12,+16175550142,opt-out,\n";

        JsonNode result = json.readTree(http("POST", "/api/consent/import", API_TOKEN,
                csv.getBytes(StandardCharsets.UTF_8)).body());

        assertThat(result.path("imported").asInt()).isEqualTo(2);
        assertThat(result.path("errors").path(0).path("line").asInt()).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM consent_audit WHERE source = 'csv import: paper form 2026-11'"))
                .isEqualTo(1);
        assertError(post("/api/consent/import", "name,number\nx,y\n", 400),
                "the first line must be the header patient,phone,status[,source]");
    }

    @Test
    void theSitesHl7FieldRecordsConsentWithItsSource() throws Exception {
        assertThat(send(adt("c1", "Y")).code()).isEqualTo("AA");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM consent WHERE "
                + "patient_key = 'EPI|E20' AND status = 'OPT_IN' AND source = 'hl7 ADT^A08 from EPIC'") == 1);

        assertThat(send(adt("c2", "N")).code()).isEqualTo("AA");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM consent WHERE "
                + "patient_key = 'EPI|E20' AND status = 'OPT_OUT'") == 1);
        assertThat(count("SELECT COUNT(*) FROM consent_audit WHERE phone = '+16175550150'")).isEqualTo(2);
    }

    private static byte[] adt(String controlId, String consent) {
        return ("MSH|^~\\&|EPIC|EPICADT|CARELOOP|MERCY|20261210100000||ADT^A08|" + controlId + "|P|2.5\r"
                + "EVN|A08|20261210100000\r"
                + "PID|1||E20^^^EPI^MR||DOE^JOHN||||||||^PRN^CP^^^^^^^^^+16175550150\r"
                + "ZPI|1|" + consent + "\r").getBytes(StandardCharsets.US_ASCII);
    }

    private HttpResponse<String> post(String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = http("POST", path, API_TOKEN, body.getBytes(StandardCharsets.UTF_8));
        assertStatus(response, expectedStatus);
        return response;
    }

    private void assertError(HttpResponse<String> response, String error) throws Exception {
        assertThat(json.readTree(response.body()).path("error").asText()).isEqualTo(error);
    }
}
