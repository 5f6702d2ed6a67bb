package org.careloop.whatsapp.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.careloop.consent.ConsentStatus;
import org.careloop.consent.ConsentStore;
import org.careloop.consent.OptOutWords;
import org.careloop.queue.QueueTransaction;
import org.careloop.store.Reads;
import org.careloop.whatsapp.api.ErrorClass;
import org.careloop.whatsapp.dispatch.SendGuards;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies stored webhooks as the {@value WebhookInbox#QUEUE} queue hands them on, oldest first, each in its queue
 * entry's transaction (one that cannot be applied is tried again, then parked FAILED with why; the others go on):
 * <ul>
 *   <li>statuses move outbox rows forward only (sent &lt; delivered &lt; read; failed records its code), each
 *       (wamid, status) once, so duplicates and out-of-order deliveries change nothing they should not;</li>
 *   <li>patients' messages (quick-reply taps, interactive replies, texts; anything else as unsupported) are stored
 *       once, with the wamid of the message they answer, and handed to the reply handling through the
 *       {@value #REPLIES_QUEUE} queue (a sender's in order); an opt-out word or a STOP button
 *       opts the number out at once;</li>
 *   <li>template status updates pause or resume a template.</li>
 * </ul>
 * Unknown fields are ignored.
 */
public final class WebhookProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PAUSING_EVENTS = Set.of("PAUSED", "DISABLED", "REJECTED", "PENDING_DELETION");
    private static final Set<String> RESUMING_EVENTS = Set.of("APPROVED", "REINSTATED");

    /** The queue patients' stored messages are handed on through, to the reply handling. */
    public static final String REPLIES_QUEUE = "patient-replies";

    private final OptOutWords optOutWords;
    private final Clock clock;

    public WebhookProcessor(OptOutWords optOutWords, Clock clock) {
        this.optOutWords = optOutWords;
        this.clock = clock;
    }

    /** Applies the stored webhook the queue entry names (its id), in the entry's transaction. */
    public void apply(Exchange exchange) throws SQLException, IOException {
        Connection connection = QueueTransaction.connection(exchange);
        Optional<WebhookInbox.StoredWebhook> webhook = WebhookInbox.pending(connection,
                exchange.getIn().getBody(Long.class));
        if (webhook.isPresent()) {
            Instant now = clock.instant();
            apply(exchange, connection, webhook.get(), now);
            WebhookInbox.mark(connection, webhook.get().id(), "PROCESSED", null, now);
        }
    }

    private void apply(Exchange exchange, Connection connection, WebhookInbox.StoredWebhook webhook, Instant now)
            throws IOException, SQLException {
        JsonNode root = JSON.readTree(webhook.body());
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                if ("message_template_status_update".equals(change.path("field").asText())) {
                    templateStatus(connection, value, now);
                } else {
                    for (JsonNode status : value.path("statuses")) {
                        status(connection, webhook.id(), status);
                    }
                    for (JsonNode message : value.path("messages")) {
                        message(exchange, connection, webhook.id(), message, now);
                    }
                }
            }
        }
    }

    private static void status(Connection connection, long webhookId, JsonNode status) throws SQLException {
        String wamid = status.path("id").asText("");
        OutboundState state = switch (status.path("status").asText("").toLowerCase(Locale.ROOT)) {
            case "sent" -> OutboundState.SENT;
            case "delivered" -> OutboundState.DELIVERED;
            case "read" -> OutboundState.READ;
            case "failed" -> OutboundState.FAILED;
            default -> null;
        };
        if (wamid.isEmpty() || state == null) {
            return;
        }
        Instant at = epochSeconds(status.path("timestamp"));
        Integer errorCode = status.path("errors").path(0).has("code")
                ? status.path("errors").path(0).path("code").asInt() : null;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO wa_status_event (wamid, status, "
                + "occurred_at, error_code, webhook_id) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
                + "(SELECT 1 FROM wa_status_event WHERE wamid = ? AND status = ?)")) {
            insert.setString(1, wamid);
            insert.setString(2, state.name());
            insert.setTimestamp(3, Timestamp.from(at));
            insert.setObject(4, errorCode);
            insert.setLong(5, webhookId);
            insert.setString(6, wamid);
            insert.setString(7, state.name());
            if (insert.executeUpdate() == 0) {
                return;
            }
        }
        Outbox.advanceStatus(connection, wamid, state, at, errorCode);
        if (state == OutboundState.FAILED && errorCode != null
                && ErrorClass.of(errorCode) == ErrorClass.RECIPIENT_UNREACHABLE) {
            for (String recipient : Reads.list(connection, "SELECT recipient FROM wa_outbound WHERE wamid = ?",
                    row -> row.getString(1), wamid)) {
                Outbox.markUnreachable(connection, recipient, errorCode, at);
            }
        }
    }

    private void message(Exchange exchange, Connection connection, long webhookId, JsonNode message, Instant now)
            throws SQLException {
        String wamid = message.path("id").asText("");
        String from = message.path("from").asText("");
        if (wamid.isEmpty() || from.isEmpty()) {
            return;
        }
        String type = message.path("type").asText("unknown");
        String payload = null;
        String text = null;
        switch (type) {
            case "button" -> {
                payload = message.path("button").path("payload").asText(null);
                text = message.path("button").path("text").asText(null);
            }
            case "interactive" -> {
                JsonNode interactive = message.path("interactive");
                JsonNode reply = interactive.has("button_reply") ? interactive.path("button_reply")
                        : interactive.path("list_reply");
                payload = reply.path("id").asText(null);
                text = reply.path("title").asText(null);
            }
            case "text" -> text = message.path("text").path("body").asText(null);
            default -> type = "unsupported:" + type;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO wa_inbound_message (wamid, "
                + "from_wa_id, message_type, context_wamid, reply_payload, reply_text, sent_at, received_at, "
                + "webhook_id, state) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NEW' WHERE NOT EXISTS "
                + "(SELECT 1 FROM wa_inbound_message WHERE wamid = ?)")) {
            insert.setString(1, wamid);
            insert.setString(2, from);
            insert.setString(3, type.length() > 32 ? type.substring(0, 32) : type);
            insert.setString(4, message.path("context").path("id").asText(null));
            insert.setString(5, payload);
            insert.setString(6, text);
            insert.setTimestamp(7, Timestamp.from(epochSeconds(message.path("timestamp"))));
            insert.setTimestamp(8, Timestamp.from(now));
            insert.setLong(9, webhookId);
            insert.setString(10, wamid);
            if (insert.executeUpdate() == 0) {
                return; // a copy of a message already stored
            }
            // handled in order per sender, after this commits
            QueueTransaction.enqueue(exchange, REPLIES_QUEUE, from, wamid, now);
            // a button's title is never read as words: the Cancel button cancels, it does not opt out
            if ("text".equals(type) && optOutWords.isOptOut(text) || payload != null && payload.startsWith("STOP:")) {
                ConsentStore.record(connection, null, "+" + from, ConsentStatus.OPT_OUT, "reply",
                        "button".equals(type) ? "STOP button" : "opt-out word", now);
            }
        }
    }

    private static void templateStatus(Connection connection, JsonNode value, Instant now) throws SQLException {
        String event = value.path("event").asText("").toUpperCase(Locale.ROOT);
        String name = value.path("message_template_name").asText("");
        String language = value.path("message_template_language").asText("*");
        if (name.isEmpty()) {
            return;
        }
        if (PAUSING_EVENTS.contains(event)) {
            LOG.error("ALERT: Meta reports WhatsApp template {} ({}) {}: its messages wait until it is approved again",
                    name, language, event);
            SendGuards.pauseTemplate(connection, name, language, null, "Meta reported " + event, now);
        } else if (RESUMING_EVENTS.contains(event)) {
            SendGuards.resumeTemplate(connection, name, language);
        }
    }

    private static Instant epochSeconds(JsonNode timestamp) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.asText()));
        } catch (NumberFormatException missing) {
            return Instant.now();
        }
    }
}
