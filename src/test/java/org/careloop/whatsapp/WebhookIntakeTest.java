package org.careloop.whatsapp;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.store.Reads;
import org.careloop.testing.EngineTest;
import org.careloop.testing.Outboxes;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.webhook.WebhookSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook endpoint over real HTTP: verification, signatures, bad input, and what stored webhooks do. */
class WebhookIntakeTest extends EngineTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final WebhookSignature signature = new WebhookSignature("sandbox-app-secret");
    private final HttpClient http = HttpClient.newHttpClient();
    private Outboxes outbox;

    @Override
    protected Map<String, String> properties() {
        // the simulator's own status callbacks would race the ones these tests send
        return Map.of("careloop.whatsapp.sandbox.status-delay-ms", "600000",
                "careloop.whatsapp.webhook-max-bytes", "20000");
    }

    @BeforeEach
    void beans() {
        outbox = Outboxes.of(engine);
    }

    @Test
    void answersMetasSubscriptionCheckOnlyWithTheVerifyToken() throws Exception {
        HttpResponse<String> ok = get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=sandbox-verify-token"
                + "&hub.challenge=1158201444");
        HttpResponse<String> wrong = get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess"
                + "&hub.challenge=1158201444");

        assertStatus(ok, 200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertStatus(wrong, 403);
        assertThat(wrong.body()).doesNotContain("1158201444");
    }

    @Test
    void theSignatureIsOverTheRawBytesWhateverTheContentTypeSays() throws Exception {
        byte[] untyped = textMessage("wamid.IN-NONE", "Hola, ¿a qué hora? 50% & más").getBytes(StandardCharsets.UTF_8);
        byte[] asForm = textMessage("wamid.IN-FORM", "a=b&c=d ¿sí?").getBytes(StandardCharsets.UTF_8);

        assertStatus(post(untyped, signature.sign(untyped), null), 200);
        assertStatus(post(asForm, signature.sign(asForm), "application/x-www-form-urlencoded"), 200);

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_inbound_message") == 2);
        assertThat(Reads.list(store(), "SELECT reply_text FROM wa_inbound_message ORDER BY wamid",
                row -> row.getString(1))).containsExactly("a=b&c=d ¿sí?", "Hola, ¿a qué hora? 50% & más");
    }

    @Test
    void storesNothingWithoutAValidSignature() throws Exception {
        byte[] body = textMessage("wamid.IN1", "Hello").getBytes(StandardCharsets.UTF_8);

        assertStatus(post(body, null), 401);
        assertStatus(post(body, "sha256=" + "0".repeat(64)), 403);
        assertStatus(post(body, "md5=abc"), 403);
        assertThat(count("SELECT COUNT(*) FROM wa_webhook_inbox")).isZero();
    }

    @Test
    void theSignatureIsCheckedOnTheRawBytesNonAsciiIncluded() throws Exception {
        String json = textMessage("wamid.IN2", "¿Puedo cambiar la cita? — José Núñez");
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        byte[] reserialized = new ObjectMapper().writeValueAsString(new ObjectMapper().readTree(json))
                .replace("¿", "\\u00bf").getBytes(StandardCharsets.UTF_8);

        assertStatus(post(reserialized, signature.sign(raw)), 403);
        assertStatus(post(raw, signature.sign(raw)), 200);

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_inbound_message") == 1);
        assertThat(Reads.first(store(), "SELECT reply_text FROM wa_inbound_message WHERE wamid = 'wamid.IN2'",
                row -> row.getString(1)).orElseThrow()).isEqualTo("¿Puedo cambiar la cita? — José Núñez");
    }

    @Test
    void malformedOrOversizedBodiesAreRefusedAndNotStored() throws Exception {
        byte[] malformed = "{\"entry\": [ {\"changes\": ".getBytes(StandardCharsets.UTF_8);
        byte[] notAnObject = "[1, 2, 3]".getBytes(StandardCharsets.UTF_8);
        byte[] oversized = textMessage("wamid.IN3", "x".repeat(30_000)).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> bad = post(malformed, signature.sign(malformed));
        assertStatus(bad, 400);
        assertThat(bad.body()).contains("\"error\":\"body is not a JSON object\"");
        assertStatus(post(notAnObject, signature.sign(notAnObject)), 400);
        assertStatus(post(oversized, signature.sign(oversized)), 413);
        assertThat(count("SELECT COUNT(*) FROM wa_webhook_inbox")).isZero();
    }

    @Test
    void aDuplicatedWebhookIsStoredAndAppliedOnce() throws Exception {
        String wamid = sentMessage("+16175550170");
        byte[] delivered = status(wamid, "delivered", null).getBytes(StandardCharsets.UTF_8);

        assertStatus(post(delivered, signature.sign(delivered)), 200);
        assertStatus(post(delivered, signature.sign(delivered)), 200);

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_webhook_inbox WHERE state = 'PROCESSED'") == 1);
        assertThat(count("SELECT COUNT(*) FROM wa_webhook_inbox")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM wa_status_event WHERE wamid = ?", wamid)).isEqualTo(1);
        assertThat(outbox.state(idOf(wamid))).isEqualTo(OutboundState.DELIVERED);
    }

    @Test
    void readBeforeDeliveredEndsReadWithBothTimesRecorded() throws Exception {
        String wamid = sentMessage("+16175550171");

        postSigned(status(wamid, "read", null));
        await().atMost(WAIT).until(() -> outbox.state(idOf(wamid)) == OutboundState.READ);
        postSigned(status(wamid, "delivered", null));
        postSigned(status(wamid, "sent", null));
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_status_event WHERE wamid = ?", wamid) == 3);

        assertThat(outbox.state(idOf(wamid))).isEqualTo(OutboundState.READ);
        assertThat(count("SELECT COUNT(*) FROM wa_outbound WHERE wamid = ? AND delivered_at IS NOT NULL "
                + "AND read_at IS NOT NULL", wamid)).isEqualTo(1);
    }

    @Test
    void aFailedStatusRecordsItsCodeAndAnUnreachableNumberStopsItsPlannedMessages() throws Exception {
        String wamid = sentMessage("+16175550172");
        long later = outbox.planTemplate("later", "+16175550172", "appointment_reminder",
                Instant.now().plusSeconds(3600));

        postSigned(status(wamid, "failed", 131026));

        await().atMost(WAIT).until(() -> outbox.state(idOf(wamid)) == OutboundState.FAILED);
        assertThat(outbox.row(idOf(wamid)).errorCode()).isEqualTo(131026);
        assertThat(outbox.state(later)).isEqualTo(OutboundState.SUPPRESSED);
        assertThat(count("SELECT COUNT(*) FROM wa_unreachable_recipient WHERE recipient = '+16175550172'"))
                .isEqualTo(1);
    }

    @Test
    void patientsRepliesAreStoredWithTheMessageTheyAnswer() throws Exception {
        postSigned(messages(
                "{\"from\":\"16175550173\",\"id\":\"wamid.B1\",\"timestamp\":\"1767000000\",\"type\":\"button\","
                        + "\"context\":{\"from\":\"15550001234\",\"id\":\"wamid.OURS1\"},"
                        + "\"button\":{\"payload\":\"CONFIRM:42\",\"text\":\"Confirm\"}}",
                "{\"from\":\"16175550173\",\"id\":\"wamid.B2\",\"timestamp\":\"1767000001\",\"type\":\"interactive\","
                        + "\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"CANCEL:42\","
                        + "\"title\":\"Cancel\"}}}",
                "{\"from\":\"16175550173\",\"id\":\"wamid.B3\",\"timestamp\":\"1767000002\",\"type\":\"interactive\","
                        + "\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"SLOT:3\","
                        + "\"title\":\"Tuesday\"}}}",
                "{\"from\":\"16175550173\",\"id\":\"wamid.B4\",\"timestamp\":\"1767000003\",\"type\":\"text\","
                        + "\"text\":{\"body\":\"STOP\"},\"unknown_field\":{\"ignored\":true}}",
                "{\"from\":\"16175550173\",\"id\":\"wamid.B5\",\"timestamp\":\"1767000004\",\"type\":\"image\","
                        + "\"image\":{\"id\":\"123\"}}"));

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_inbound_message") == 5);
        assertThat(Reads.list(store(), "SELECT wamid, message_type, context_wamid, reply_payload, reply_text "
                + "FROM wa_inbound_message ORDER BY wamid", row -> List.of(row.getString(1), row.getString(2),
                String.valueOf(row.getString(3)), String.valueOf(row.getString(4)), String.valueOf(row.getString(5)))))
                .containsExactly(
                        List.of("wamid.B1", "button", "wamid.OURS1", "CONFIRM:42", "Confirm"),
                        List.of("wamid.B2", "interactive", "null", "CANCEL:42", "Cancel"),
                        List.of("wamid.B3", "interactive", "null", "SLOT:3", "Tuesday"),
                        List.of("wamid.B4", "text", "null", "null", "STOP"),
                        List.of("wamid.B5", "unsupported:image", "null", "null", "null"));
    }

    @Test
    void templateStatusUpdatesPauseAndResumeATemplate() throws Exception {
        postSigned(templateUpdate("appointment_reminder", "en_US", "PAUSED"));
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_paused_template") == 1);

        postSigned(templateUpdate("appointment_reminder", "en_US", "APPROVED"));
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_paused_template") == 0);
    }

    /** A template message the dispatcher sent to the simulator, now SENT; returns its wamid. */
    private String sentMessage(String to) throws Exception {
        long id = outbox.planTemplate("sent-" + to, to, "appointment_reminder", Instant.now());
        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.SENT);
        return outbox.row(id).wamid();
    }

    private long idOf(String wamid) throws Exception {
        return Reads.first(store(), "SELECT id FROM wa_outbound WHERE wamid = ?", row -> row.getLong(1), wamid)
                .orElseThrow();
    }

    private void postSigned(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        assertStatus(post(body, signature.sign(body)), 200);
    }

    private static String envelope(String field, String value) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"200000000000001\",\"changes\":[{"
                + "\"field\":\"" + field + "\",\"value\":" + value + "}]}]}";
    }

    private static String messages(String... messages) {
        return envelope("messages", "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":"
                + "\"100000000000001\"},\"contacts\":[{\"profile\":{\"name\":\"Pat\"},\"wa_id\":\"16175550173\"}],"
                + "\"messages\":[" + String.join(",", messages) + "]}");
    }

    private static String textMessage(String wamid, String text) {
        return messages("{\"from\":\"16175550174\",\"id\":\"" + wamid + "\",\"timestamp\":\"1767000000\","
                + "\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}");
    }

    private static String status(String wamid, String status, Integer errorCode) {
        return envelope("messages", "{\"messaging_product\":\"whatsapp\",\"statuses\":[{\"id\":\"" + wamid
                + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + Instant.now().getEpochSecond()
                + "\",\"recipient_id\":\"16175550170\"" + (errorCode == null ? ""
                        : ",\"errors\":[{\"code\":" + errorCode + ",\"title\":\"Message undeliverable\"}]") + "}]}");
    }

    private static String templateUpdate(String name, String language, String event) {
        return envelope("message_template_status_update", "{\"event\":\"" + event + "\",\"message_template_id\":1,"
                + "\"message_template_name\":\"" + name + "\",\"message_template_language\":\"" + language
                + "\",\"reason\":\"NONE\"}");
    }

    private HttpResponse<String> post(byte[] body, String signatureHeader) throws Exception {
        return post(body, signatureHeader, "application/json");
    }

    /** A POST with this Content-Type, or none when null. */
    private HttpResponse<String> post(byte[] body, String signatureHeader, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/webhooks/whatsapp")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (signatureHeader != null) {
            request.header("X-Hub-Signature-256", signatureHeader);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
