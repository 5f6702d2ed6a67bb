package org.careloop.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * Topic-based subscription notifications as servers send them, shaped after the Subscriptions Backport IG's R4
 * examples (a {@code history} Bundle with a Parameters status) and FHIR R5's SubscriptionStatus examples.
 */
public final class Notifications {

    /** One event: its number, and the focus reference (null for empty content). */
    public record Event(long number, String focus) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIPTION = "https://fhir.example.org/fhir/Subscription/admissions";
    private static final String TOPIC = "http://example.org/FHIR/SubscriptionTopic/appointment-change";

    private Notifications() {
    }

    /** R4 Backport: Bundle.type history, first entry a Parameters resource. */
    public static String backport(String type, long eventsSinceStart, List<Event> events, List<String> resources) {
        ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters")
                .put("id", UUID.randomUUID().toString());
        parameters.putObject("meta").putArray("profile").add(
                "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4");
        ArrayNode list = parameters.putArray("parameter");
        list.addObject().put("name", "subscription").putObject("valueReference").put("reference", SUBSCRIPTION);
        list.addObject().put("name", "topic").put("valueCanonical", TOPIC);
        list.addObject().put("name", "status").put("valueCode", "active");
        list.addObject().put("name", "type").put("valueCode", type);
        list.addObject().put("name", "events-since-subscription-start").put("valueString",
                String.valueOf(eventsSinceStart));
        for (Event event : events) {
            ArrayNode parts = list.addObject().put("name", "notification-event").putArray("part");
            parts.addObject().put("name", "event-number").put("valueString", String.valueOf(event.number()));
            parts.addObject().put("name", "timestamp").put("valueInstant", "2026-11-26T11:44:13.188-05:00");
            if (event.focus() != null) {
                parts.addObject().put("name", "focus").putObject("valueReference").put("reference", event.focus());
            }
        }
        return bundle("history", parameters, resources);
    }

    /** R5 (and R4B): Bundle.type subscription-notification, first entry a SubscriptionStatus. */
    public static String r5(String type, long eventsSinceStart, List<Event> events, List<String> resources) {
        ObjectNode status = JSON.createObjectNode().put("resourceType", "SubscriptionStatus")
                .put("id", UUID.randomUUID().toString()).put("status", "active").put("type", type)
                .put("eventsSinceSubscriptionStart", String.valueOf(eventsSinceStart)).put("topic", TOPIC);
        status.putObject("subscription").put("reference", SUBSCRIPTION);
        ArrayNode list = status.putArray("notificationEvent");
        for (Event event : events) {
            ObjectNode node = list.addObject().put("eventNumber", String.valueOf(event.number()))
                    .put("timestamp", "2026-11-26T11:44:13.188-05:00");
            if (event.focus() != null) {
                node.putObject("focus").put("reference", event.focus());
            }
        }
        return bundle("subscription-notification", status, resources);
    }

    private static String bundle(String type, ObjectNode status, List<String> resources) {
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle")
                .put("id", UUID.randomUUID().toString()).put("type", type)
                .put("timestamp", "2026-11-26T11:44:13.188-05:00");
        ArrayNode entries = bundle.putArray("entry");
        ObjectNode first = entries.addObject().put("fullUrl", "urn:uuid:" + status.path("id").asText());
        first.set("resource", status);
        first.putObject("request").put("method", "GET").put("url", SUBSCRIPTION + "/$status");
        first.putObject("response").put("status", "200");
        try {
            for (String resource : resources) {
                ObjectNode parsed = (ObjectNode) JSON.readTree(resource);
                String reference = parsed.path("resourceType").asText() + "/" + parsed.path("id").asText();
                ObjectNode entry = entries.addObject().put("fullUrl", "https://fhir.example.org/fhir/" + reference);
                entry.set("resource", parsed);
                entry.putObject("request").put("method", "PUT").put("url", reference);
                entry.putObject("response").put("status", "200");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bundle.toString();
    }
}
