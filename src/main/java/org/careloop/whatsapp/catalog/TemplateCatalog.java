package org.careloop.whatsapp.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.config.YamlFiles;

/**
 * The template catalog ({@code mappings/templates.yaml}): every template with its language variants, category,
 * status, text and quick-reply buttons, in the shape the Graph API's {@code message_templates} listing uses.
 *
 * <pre>
 * templates:
 *   - name: appointment_reminder
 *     category: UTILITY
 *     languages:
 *       - code: en_US
 *         status: APPROVED
 *         body: "Hi {{1}}, a reminder of your appointment on {{2}} at {{3}}."
 *         quickReplies: [Confirm, Cancel, Reschedule]
 * </pre>
 */
public record TemplateCatalog(List<TemplateDefinition> templates) {

    public TemplateCatalog {
        templates = List.copyOf(templates);
    }

    public Optional<TemplateDefinition> find(String name, String language) {
        return templates.stream().filter(t -> t.name().equals(name) && t.language().equals(language)).findFirst();
    }

    public boolean hasTemplate(String name) {
        return templates.stream().anyMatch(t -> t.name().equals(name));
    }

    public static TemplateCatalog load(Path file) {
        JsonNode root = YamlFiles.read(file, "careloop.whatsapp.catalog");
        List<TemplateDefinition> definitions = new ArrayList<>();
        int index = 0;
        for (JsonNode template : root == null ? List.<JsonNode>of() : iterable(root.path("templates"))) {
            String name = required(file, template, "name", "templates[" + index + "]");
            String where = "template '" + name + "'";
            for (JsonNode language : iterable(template.path("languages"))) {
                List<String> buttons = new ArrayList<>();
                iterable(language.path("quickReplies")).forEach(b -> buttons.add(b.asText()));
                definitions.add(new TemplateDefinition(name, template.path("category").asText("UTILITY"),
                        required(file, language, "code", where), language.path("status").asText("APPROVED"),
                        language.path("header").asText(""), required(file, language, "body", where), buttons,
                        language.path("urlButton").asText("")));
            }
            index++;
        }
        return new TemplateCatalog(definitions);
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node.isArray() ? node::elements : List.of();
    }

    private static String required(Path file, JsonNode node, String field, String where) {
        String value = node.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException(file + ": " + where + " has no '" + field + "'; add it");
        }
        return value;
    }
}
