package org.careloop.fhir.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A topic-based subscription notification, in any of its three shapes (DOMAIN.md §3): an R4B or R5 Bundle of type
 * {@code subscription-notification} whose first entry is a SubscriptionStatus, or an R4 Backport Bundle of type
 * {@code history} whose first entry is a Parameters resource. Read as JSON rather than through HAPI's model, so one
 * reader serves R4, R4B and R5 without loading three FHIR versions; the focus resources are then read as R4.
 *
 * @param type             handshake, heartbeat, event-notification, query-status or query-event
 * @param eventsSinceStart events the server has sent since the subscription started, when it says
 * @param events           the events this notification carries, in order
 * @param resources        the resources it carries, by "Type/id" (full-resource content)
 */
public record NotificationBundle(String type, Long eventsSinceStart, List<Event> events,
        Map<String, JsonNode> resources) {

    /**
     * One notification event.
     *
     * @param number its event number, or null when the server gives none
     * @param focus  "Appointment/1002" (no version), or null when the content is {@code empty}
     */
    public record Event(Long number, String focus) {
    }

    /** @throws IllegalArgumentException naming what is wrong, for the 400's OperationOutcome */
    public static NotificationBundle parse(JsonNode bundle) {
        if (!"Bundle".equals(bundle.path("resourceType").asText())) {
            throw new IllegalArgumentException("a notification must be a Bundle, not "
                    + bundle.path("resourceType").asText("an object without resourceType"));
        }
        JsonNode entries = bundle.path("entry");
        JsonNode status = entries.path(0).path("resource");
        NotificationBundle parsed = switch (status.path("resourceType").asText()) {
            case "SubscriptionStatus" -> fromSubscriptionStatus(status);
            case "Parameters" -> fromBackportParameters(status);
            default -> throw new IllegalArgumentException("the Bundle's first entry must be the notification status: "
                    + "a SubscriptionStatus (R4B, R5) or a Parameters resource (R4 Backport)");
        };
        if (parsed.type().isEmpty()) {
            throw new IllegalArgumentException("the notification status has no type (handshake, heartbeat, "
                    + "event-notification, query-status, query-event)");
        }
        for (int i = 1; i < entries.size(); i++) {
            JsonNode resource = entries.get(i).path("resource");
            if (resource.isObject() && resource.hasNonNull("id")) {
                parsed.resources().put(resource.path("resourceType").asText() + "/" + resource.path("id").asText(),
                        resource);
            }
        }
        return parsed;
    }

    public Optional<JsonNode> resource(String focus) {
        return Optional.ofNullable(resources.get(focus));
    }

    private static NotificationBundle fromSubscriptionStatus(JsonNode status) {
        List<Event> events = new ArrayList<>();
        for (JsonNode event : status.path("notificationEvent")) {
            events.add(new Event(number(event.path("eventNumber")), focus(event.path("focus").path("reference"))));
        }
        return new NotificationBundle(status.path("type").asText(""), number(status.path(
                "eventsSinceSubscriptionStart")), events, new HashMap<>());
    }

    private static NotificationBundle fromBackportParameters(JsonNode parameters) {
        String type = "";
        Long since = null;
        List<Event> events = new ArrayList<>();
        for (JsonNode parameter : parameters.path("parameter")) {
            switch (parameter.path("name").asText()) {
                case "type" -> type = value(parameter).asText("");
                case "events-since-subscription-start" -> since = number(value(parameter));
                case "notification-event" -> {
                    Long number = null;
                    String focus = null;
                    for (JsonNode part : parameter.path("part")) {
                        if ("event-number".equals(part.path("name").asText())) {
                            number = number(value(part));
                        } else if ("focus".equals(part.path("name").asText())) {
                            focus = focus(value(part).path("reference"));
                        }
                    }
                    events.add(new Event(number, focus));
                }
                default -> {
                }
            }
        }
        return new NotificationBundle(type, since, events, new HashMap<>());
    }

    /** A Parameters value[x], whatever its type (the Backport IG changed event-number from string to integer64). */
    private static JsonNode value(JsonNode parameter) {
        for (Iterator<String> names = parameter.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith("value")) {
                return parameter.get(name);
            }
        }
        return parameter.path("value");
    }

    /** An integer64 (sent as a JSON string) or an unsignedInt, or null when absent or not a number. */
    private static Long number(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            return Long.parseLong(node.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an event number must be a whole number, not '" + node.asText() + "'");
        }
    }

    /** "http://server/fhir/Appointment/1002/_history/3" and "Appointment/1002" both as "Appointment/1002". */
    static String focus(JsonNode reference) {
        if (reference.isMissingNode() || reference.isNull() || reference.asText().isBlank()) {
            return null;
        }
        String[] segments = reference.asText().replaceFirst("/_history/[^/]+$", "").split("/");
        if (segments.length < 2) {
            throw new IllegalArgumentException("a focus reference must name a resource (Type/id), not '"
                    + reference.asText() + "'");
        }
        return segments[segments.length - 2] + "/" + segments[segments.length - 1];
    }
}
