package org.careloop.whatsapp.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.catalog.TemplateDefinition;

/**
 * The checks the Cloud API makes on a {@code /messages} request: product, recipient format, the template and
 * language in the catalog and its status, the parameter count, a reply-button message's limits, and the 24 h window
 * for anything but a template.
 */
final class MessageValidator {

    private static final Pattern RECIPIENT = Pattern.compile("\\+?[1-9]\\d{6,14}");

    private final TemplateCatalog catalog;
    /** Template status changes made after start (paused, disabled...), by "name|language". */
    private final Map<String, String> statusOverrides = new ConcurrentHashMap<>();
    /** When each recipient's customer-service window closes: 24 h after their last message. */
    private final Map<String, Instant> windowOpenUntil = new ConcurrentHashMap<>();

    MessageValidator(TemplateCatalog catalog) {
        this.catalog = catalog;
    }

    void setStatus(String name, String language, String status) {
        statusOverrides.put(name + "|" + language, status);
    }

    void openWindow(String waId, Instant until) {
        windowOpenUntil.put(waId, until);
    }

    Optional<CloudApiError> validate(JsonNode request, Instant now) {
        if (!"whatsapp".equals(request.path("messaging_product").asText())) {
            return invalid("messaging_product must be \"whatsapp\"");
        }
        String to = request.path("to").asText("");
        if (!RECIPIENT.matcher(to).matches()) {
            return invalid("to is not a phone number");
        }
        String type = request.path("type").asText("text");
        if ("template".equals(type)) {
            return validateTemplate(request.path("template"));
        }
        if ("text".equals(type) && request.path("text").path("body").asText("").isBlank()) {
            return invalid("text.body is required");
        }
        if ("interactive".equals(type)) {
            Optional<CloudApiError> refused = validateButtons(request.path("interactive"));
            if (refused.isPresent()) {
                return refused;
            }
        }
        Instant open = windowOpenUntil.get(to.replace("+", ""));
        if (open == null || !now.isBefore(open)) {
            return Optional.of(new CloudApiError(400, 131047,
                    "Re-engagement message: more than 24 hours have passed since the recipient last replied"));
        }
        return Optional.empty();
    }

    private Optional<CloudApiError> validateTemplate(JsonNode template) {
        String name = template.path("name").asText("");
        String language = template.path("language").path("code").asText("");
        Optional<TemplateDefinition> definition = catalog.find(name, language);
        if (definition.isEmpty()) {
            return Optional.of(new CloudApiError(404, 132001, "Template name does not exist in the translation"));
        }
        String status = statusOverrides.getOrDefault(name + "|" + language, definition.get().status());
        switch (status) {
            case "APPROVED":
                break;
            case "PAUSED":
                return Optional.of(new CloudApiError(400, 132015, "Template is paused"));
            case "DISABLED":
                return Optional.of(new CloudApiError(400, 132016, "Template is disabled"));
            default:
                return Optional.of(new CloudApiError(404, 132001, "Template name does not exist in the translation"));
        }
        int body = 0;
        int header = 0;
        int buttons = 0;
        int urlButtons = 0;
        for (JsonNode component : template.path("components")) {
            switch (component.path("type").asText()) {
                case "body" -> body += component.path("parameters").size();
                case "header" -> header += component.path("parameters").size();
                case "button" -> {
                    if ("url".equals(component.path("sub_type").asText())) {
                        urlButtons++;
                    } else {
                        buttons++;
                    }
                }
                default -> {
                    return invalid("unknown component type " + component.path("type").asText());
                }
            }
        }
        if (body != definition.get().bodyParameters().size() || header != definition.get().headerParameters().size()) {
            return Optional.of(new CloudApiError(400, 132000,
                    "Number of parameters does not match the expected number of params"));
        }
        if (buttons > definition.get().quickReplies().size()) {
            return invalid("the template has " + definition.get().quickReplies().size() + " quick-reply buttons");
        }
        if (urlButtons != (definition.get().hasUrlParameter() ? 1 : 0)) {
            // Meta: a dynamic URL button needs its parameter, and a template without one takes none
            return Optional.of(new CloudApiError(400, 132000,
                    "Number of parameters does not match the expected number of params"));
        }
        return Optional.empty();
    }

    /** A reply-button message: a body of up to 1,024 characters and one to three buttons with distinct titles. */
    private static Optional<CloudApiError> validateButtons(JsonNode interactive) {
        if (!"button".equals(interactive.path("type").asText())) {
            return invalid("interactive.type must be one of button, list, cta_url, ...; only button is simulated");
        }
        String body = interactive.path("body").path("text").asText("");
        if (body.isBlank() || body.length() > 1024) {
            return invalid("interactive.body.text must be 1 to 1024 characters");
        }
        JsonNode buttons = interactive.path("action").path("buttons");
        if (buttons.size() < 1 || buttons.size() > 3) {
            return invalid("interactive.action.buttons must hold 1 to 3 buttons");
        }
        Set<String> titles = new HashSet<>();
        for (JsonNode button : buttons) {
            String id = button.path("reply").path("id").asText("");
            String title = button.path("reply").path("title").asText("");
            if (id.isEmpty() || id.length() > 256 || title.isBlank() || title.length() > 20 || !titles.add(title)) {
                return invalid("each reply button needs an id of at most 256 characters and a distinct title of at "
                        + "most 20");
            }
        }
        return Optional.empty();
    }

    private static Optional<CloudApiError> invalid(String detail) {
        return Optional.of(new CloudApiError(400, 100, "Invalid parameter: " + detail));
    }
}
