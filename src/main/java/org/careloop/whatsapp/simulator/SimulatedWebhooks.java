package org.careloop.whatsapp.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.careloop.whatsapp.webhook.WebhookSignature;

/**
 * The webhooks the simulated Cloud API calls, signed with the app secret as Meta signs them: message statuses,
 * patients' replies and template status changes, each in the {@code whatsapp_business_account} envelope. A webhook
 * that does not get a 200 is tried again, a few times, as Meta does for much longer.
 */
final class SimulatedWebhooks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;

    private final SimulatorSettings settings;
    private final WebhookSignature signature;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<WebhookDelivery> deliveries = Collections.synchronizedList(new ArrayList<>());

    SimulatedWebhooks(SimulatorSettings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.signature = new WebhookSignature(settings.appSecret());
        this.scheduler = scheduler;
    }

    /** Calls back with each status in order, one status delay apart; "failed" carries the error code. */
    void statuses(String wamid, String recipientId, String callbackData, List<String> order, Integer errorCode) {
        for (int i = 0; i < order.size(); i++) {
            String status = order.get(i);
            ObjectNode value = value();
            ObjectNode entry = value.putArray("statuses").addObject()
                    .put("id", wamid).put("status", status).put("timestamp", epochSeconds())
                    .put("recipient_id", recipientId);
            if (callbackData != null) {
                entry.put("biz_opaque_callback_data", callbackData);
            }
            if ("failed".equals(status) && errorCode != null) {
                entry.putArray("errors").addObject().put("code", errorCode).put("title", "Message undeliverable");
            }
            send(envelope("messages", value), settings.statusDelay().multipliedBy(i + 1));
        }
    }

    /** A patient's message: a quick-reply tap, an interactive reply or a text, optionally answering one of ours. */
    void reply(ObjectNode message, String fromWaId, String profileName) {
        ObjectNode value = value();
        value.putArray("contacts").addObject().put("wa_id", fromWaId).putObject("profile").put("name", profileName);
        value.putArray("messages").add(message);
        send(envelope("messages", value), Duration.ZERO);
    }

    void templateStatus(String name, String language, String event) {
        ObjectNode value = JSON.createObjectNode().put("event", event).put("message_template_name", name)
                .put("message_template_language", language).put("message_template_id", Math.abs(name.hashCode()))
                .put("reason", "NONE");
        send(envelope("message_template_status_update", value), Duration.ZERO);
    }

    /** Sends a body exactly as given (a test replaying one webhook twice, say). */
    void sendRaw(String body) {
        send(body, Duration.ZERO);
    }

    List<WebhookDelivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    void clear() {
        deliveries.clear();
    }

    private ObjectNode value() {
        ObjectNode value = JSON.createObjectNode().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "15550001234")
                .put("phone_number_id", settings.phoneNumberId());
        return value;
    }

    private String envelope(String field, ObjectNode value) {
        ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
        ArrayNode changes = root.putArray("entry").addObject().put("id", settings.businessAccountId())
                .putArray("changes");
        changes.addObject().put("field", field).set("value", value);
        return root.toString();
    }

    private void send(String body, Duration delay) {
        if (settings.webhookUrl().isBlank()) {
            return;
        }
        scheduler.schedule(() -> attempt(body, 1), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void attempt(String body, int attempt) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int status;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(settings.webhookUrl()))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", signature.sign(bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception unreachable) {
            status = 0;
        }
        deliveries.add(new WebhookDelivery(Instant.now(), body, status));
        if (status != 200 && attempt < ATTEMPTS && !scheduler.isShutdown()) {
            scheduler.schedule(() -> attempt(body, attempt + 1), attempt, TimeUnit.SECONDS);
        }
    }

    private static String epochSeconds() {
        return String.valueOf(Instant.now().getEpochSecond());
    }
}
