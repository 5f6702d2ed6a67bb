package org.careloop.whatsapp;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.careloop.testing.WebhookReceiver;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.api.TemplateMessage;
import org.careloop.whatsapp.api.TemplateMessage.Parameter;
import org.careloop.whatsapp.api.TemplateMessage.QuickReply;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Fault;
import org.careloop.whatsapp.simulator.SimulatorSettings;
import org.careloop.whatsapp.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Cloud API over real HTTP: what it checks, what it answers, and the webhooks it signs and sends. */
class CloudApiSimulatorTest {

    private static final String TOKEN = "token-1";
    private static final String SECRET = "secret-1";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private WebhookReceiver webhooks;
    private CloudApiSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        webhooks = new WebhookReceiver();
        simulator = CloudApiSimulator.start(new SimulatorSettings("127.0.0.1", 0, TOKEN, SECRET, "111", "222",
                webhooks.url(), TemplateCatalog.load(Path.of("mappings", "templates.yaml")), 5,
                Duration.ofSeconds(6), Duration.ofMillis(50)));
    }

    @AfterEach
    void stop() {
        simulator.close();
        webhooks.close();
    }

    @Test
    void acceptsAValidTemplateWithAWamidAndCallsBackWithSignedStatusesInOrder() throws Exception {
        HttpResponse<String> response = post("/v23.0/111/messages", TOKEN, confirmation("+16175550123"));

        assertStatus(response, 200);
        JsonNode answer = json.readTree(response.body());
        String wamid = answer.path("messages").path(0).path("id").asText();
        assertThat(wamid).startsWith("wamid.");
        assertThat(answer.path("messages").path(0).path("message_status").asText()).isEqualTo("accepted");
        assertThat(answer.path("contacts").path(0).path("wa_id").asText()).isEqualTo("16175550123");

        await().atMost(Duration.ofSeconds(5)).until(() -> webhooks.received().size() == 3);
        WebhookSignature signature = new WebhookSignature(SECRET);
        assertThat(webhooks.received()).allMatch(w -> signature.matches(w.body(), w.signature()));
        assertThat(webhooks.received()).extracting(w -> status(w).path("status").asText())
                .containsExactly("sent", "delivered", "read");
        assertThat(webhooks.received()).extracting(w -> status(w).path("id").asText()).containsOnly(wamid);
        assertThat(webhooks.received()).extracting(w -> status(w).path("biz_opaque_callback_data").asText())
                .containsOnly("careloop:7");
        assertThat(simulator.received()).singleElement().satisfies(r -> {
            assertThat(r.wamid()).isEqualTo(wamid);
            assertThat(r.template()).isEqualTo("appointment_confirmation");
            assertThat(r.language()).isEqualTo("en_US");
        });
    }

    @Test
    void refusesAWrongTokenWith190() throws Exception {
        assertError(post("/v23.0/111/messages", "stolen", confirmation("+16175550123")), 401, 190);
    }

    @Test
    void refusesTemplatesItDoesNotHaveOrThatAreNotApproved() throws Exception {
        assertError(post("/v23.0/111/messages", TOKEN, CloudApiRequests.template(new TemplateMessage("+16175550123",
                "appointment_confirmation", "fr", List.of(), params(3), List.of()))), 404, 132001);
        assertError(post("/v23.0/111/messages", TOKEN, CloudApiRequests.template(new TemplateMessage("+16175550123",
                "no_such_template", "en_US", List.of(), params(3), List.of()))), 404, 132001);
        simulator.setTemplateStatus("appointment_confirmation", "en_US", "PAUSED");
        assertError(post("/v23.0/111/messages", TOKEN, confirmation("+16175550123")), 400, 132015);
    }

    @Test
    void refusesTheWrongNumberOfParameters() throws Exception {
        assertError(post("/v23.0/111/messages", TOKEN, CloudApiRequests.template(new TemplateMessage("+16175550123",
                "appointment_confirmation", "en_US", List.of(), params(2), List.of()))), 400, 132000);
    }

    @Test
    void refusesABadRecipientAndAnotherPhoneNumberId() throws Exception {
        assertError(post("/v23.0/111/messages", TOKEN, confirmation("not-a-number")), 400, 100);
        assertError(post("/v23.0/999/messages", TOKEN, confirmation("+16175550123")), 400, 100);
    }

    @Test
    void enforcesThePairLimitAndThePerNumberRate() throws Exception {
        simulator.close();
        simulator = CloudApiSimulator.start(new SimulatorSettings("127.0.0.1", 0, TOKEN, SECRET, "111", "222",
                webhooks.url(), TemplateCatalog.load(Path.of("mappings", "templates.yaml")), 1,
                Duration.ofSeconds(6), Duration.ofMillis(50)));

        assertStatus(post("/v23.0/111/messages", TOKEN, confirmation("+16175550101")), 200);
        assertError(post("/v23.0/111/messages", TOKEN, confirmation("+16175550101")), 400, 131056);
        assertError(post("/v23.0/111/messages", TOKEN, confirmation("+16175550102")), 429, 130429);
    }

    @Test
    void freeFormTextNeedsTheCustomerServiceWindowThatAReplyOpens() throws Exception {
        assertError(post("/v23.0/111/messages", TOKEN, CloudApiRequests.text("+16175550123", "Thanks!")), 400, 131047);

        simulator.reply("16175550123", null, "text", null, "Hello");

        assertStatus(post("/v23.0/111/messages", TOKEN, CloudApiRequests.text("+16175550123", "Thanks!")), 200);
    }

    @Test
    void failsAsItIsToldForANumberATemplateOrATimeWindow() throws Exception {
        simulator.addFault(new Fault("+16175550111", null, null, null, 131026, 400, 0, 0, false, null, null, 1));
        simulator.addFault(new Fault(null, "appointment_reminder", null, null, null, 503, 0, 0, false, null, null, 0));
        simulator.addFault(new Fault(null, null, Instant.now().plusSeconds(3600), null, 190, 401, 0, 0, false, null,
                null, 0));

        assertError(post("/v23.0/111/messages", TOKEN, confirmation("+16175550111")), 400, 131026);
        assertStatus(post("/v23.0/111/messages", TOKEN, confirmation("+16175550111")), 200);
        HttpResponse<String> unavailable = post("/v23.0/111/messages", TOKEN, CloudApiRequests.template(
                new TemplateMessage("+16175550112", "appointment_reminder", "en_US", List.of(), params(3), List.of())));
        assertStatus(unavailable, 503);
        assertThat(unavailable.body()).doesNotContain("\"error\"");
    }

    @Test
    void reportsAFailureAsynchronouslyAndStatusesOutOfOrderWhenAsked() throws Exception {
        simulator.addFault(new Fault("+16175550121", null, null, null, null, null, 0, 0, false, 131026, null, 1));
        simulator.addFault(new Fault("+16175550122", null, null, null, null, null, 0, 0, false, null,
                "sent,read,delivered", 1));

        assertStatus(post("/v23.0/111/messages", TOKEN, confirmation("+16175550121")), 200);
        assertStatus(post("/v23.0/111/messages", TOKEN, confirmation("+16175550122")), 200);

        await().atMost(Duration.ofSeconds(5)).until(() -> webhooks.received().size() == 4);
        assertThat(webhooks.received()).filteredOn(w -> status(w).path("recipient_id").asText().equals("16175550121"))
                .singleElement().satisfies(w -> {
                    assertThat(status(w).path("status").asText()).isEqualTo("failed");
                    assertThat(status(w).path("errors").path(0).path("code").asInt()).isEqualTo(131026);
                });
        assertThat(webhooks.received()).filteredOn(w -> status(w).path("recipient_id").asText().equals("16175550122"))
                .extracting(w -> status(w).path("status").asText()).containsExactly("sent", "read", "delivered");
    }

    @Test
    void playsAPatientTappingAQuickReplyWithTheContextOfOurMessage() throws Exception {
        simulator.reply("16175550123", "wamid.OURS", "button", "CONFIRM:7", "Confirm");

        await().atMost(Duration.ofSeconds(5)).until(() -> webhooks.received().size() == 1);
        JsonNode message = json.readTree(webhooks.received().get(0).body()).path("entry").path(0).path("changes")
                .path(0).path("value").path("messages").path(0);
        assertThat(message.path("type").asText()).isEqualTo("button");
        assertThat(message.path("context").path("id").asText()).isEqualTo("wamid.OURS");
        assertThat(message.path("button").path("payload").asText()).isEqualTo("CONFIRM:7");
        assertThat(message.path("from").asText()).isEqualTo("16175550123");
    }

    @Test
    void listsTheCatalogInPagesAndTakesMediaUploads() throws Exception {
        int catalogSize = TemplateCatalog.load(Path.of("mappings", "templates.yaml")).templates().size();
        List<String> listed = new java.util.ArrayList<>();
        String after = "";
        int pages = 0;
        JsonNode page;
        do {
            page = json.readTree(get("/v23.0/222/message_templates?limit=5" + (after.isEmpty() ? "" : "&after=" + after))
                    .body());
            assertThat(page.path("data").size()).isBetween(1, 5);
            page.path("data").forEach(t -> listed.add(t.path("name").asText() + "/" + t.path("language").asText()));
            after = page.path("paging").path("cursors").path("after").asText();
            pages++;
        } while (page.path("paging").has("next"));
        assertThat(pages).isEqualTo((catalogSize + 4) / 5);
        assertThat(listed).hasSize(catalogSize).doesNotHaveDuplicates().contains("appointment_reminder/es");
        assertThat(page.path("data").path(0).path("components").path(0).path("type").asText()).isEqualTo("BODY");

        String multipart = "--b\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\nContent-Type: "
                + "application/pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n";
        HttpResponse<String> media = http.send(HttpRequest.newBuilder(uri("/v23.0/111/media"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(), HttpResponse.BodyHandlers.ofString());
        assertStatus(media, 200);
        assertThat(json.readTree(media.body()).path("id").asText()).isNotBlank();
    }

    private static String confirmation(String to) {
        return CloudApiRequests.withCallbackData(CloudApiRequests.template(new TemplateMessage(to,
                "appointment_confirmation", "en_US", List.of(), params(3),
                List.of(new QuickReply(0, "CONFIRM:7"), new QuickReply(1, "CANCEL:7")))), "careloop:7");
    }

    private static List<Parameter> params(int count) {
        return java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> Parameter.positional("p" + i)).toList();
    }

    private JsonNode status(WebhookReceiver.Received webhook) {
        try {
            return json.readTree(webhook.body()).path("entry").path(0).path("changes").path(0).path("value")
                    .path("statuses").path(0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertError(HttpResponse<String> response, int status, int code) throws Exception {
        assertStatus(response, status);
        assertThat(json.readTree(response.body()).path("error").path("code").asInt()).isEqualTo(code);
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + simulator.port() + path);
    }
}
