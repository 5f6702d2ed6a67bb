package org.careloop.whatsapp.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the template catalog up to date from Meta: reads every page of
 * {@code GET {base}/{version}/{waba-id}/message_templates} and writes {@code mappings/templates.yaml}.
 *
 * <pre>
 * CARELOOP_WHATSAPP_TOKEN=... java -cp "target/careloop.jar:target/lib/*" org.careloop.whatsapp.catalog.CatalogSync \
 *     --base-url https://graph.facebook.com --api-version v23.0 --business-account-id 1234 --out mappings/templates.yaml
 * </pre>
 *
 * The engine checks its mappings against the new file at its next start.
 */
public final class CatalogSync {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogSync() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String token = options.containsKey("token-file")
                ? Files.readString(Path.of(options.get("token-file"))).trim()
                : System.getenv().getOrDefault("CARELOOP_WHATSAPP_TOKEN", "");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("no access token: set CARELOOP_WHATSAPP_TOKEN or pass --token-file");
        }
        TemplateCatalog catalog = fetch(HttpClient.newHttpClient(), required(options, "base-url"),
                options.getOrDefault("api-version", "v23.0"), required(options, "business-account-id"), token);
        Path out = Path.of(options.getOrDefault("out", "mappings/templates.yaml"));
        Files.writeString(out, toYaml(catalog));
        System.out.printf("%d template languages written to %s%n", catalog.templates().size(), out);
    }

    /** Every template language in the account, following the {@code after} cursor to the last page. */
    public static TemplateCatalog fetch(HttpClient http, String baseUrl, String version, String businessAccountId,
            String token) throws IOException, InterruptedException {
        List<TemplateDefinition> templates = new ArrayList<>();
        String after = "";
        while (true) {
            URI uri = URI.create(baseUrl + "/" + version + "/" + businessAccountId + "/message_templates"
                    + "?fields=name,status,language,category,components&limit=100"
                    + (after.isEmpty() ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode page = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IOException("the Graph API answered " + response.statusCode() + " (error "
                        + page.path("error").path("code").asText("?") + "): " + page.path("error").path("message")
                        .asText(""));
            }
            for (JsonNode template : page.path("data")) {
                templates.add(definition(template));
            }
            if (!page.path("paging").has("next")) {
                return new TemplateCatalog(templates);
            }
            after = page.path("paging").path("cursors").path("after").asText();
        }
    }

    private static TemplateDefinition definition(JsonNode template) {
        String header = "";
        String body = "";
        List<String> quickReplies = new ArrayList<>();
        String[] url = {""};
        for (JsonNode component : template.path("components")) {
            switch (component.path("type").asText()) {
                case "HEADER" -> header = "TEXT".equals(component.path("format").asText()) ? component.path("text")
                        .asText("") : "";
                case "BODY" -> body = component.path("text").asText("");
                case "BUTTONS" -> component.path("buttons").forEach(button -> {
                    if ("QUICK_REPLY".equals(button.path("type").asText())) {
                        quickReplies.add(button.path("text").asText());
                    } else if ("URL".equals(button.path("type").asText())) {
                        url[0] = button.path("url").asText("");
                    }
                });
                default -> {
                    // footers and media headers take no parameters from CareLoop
                }
            }
        }
        return new TemplateDefinition(template.path("name").asText(), template.path("category").asText(),
                template.path("language").asText(), template.path("status").asText(), header, body, quickReplies,
                url[0]);
    }

    /** The catalog in the file's shape: templates by name, each with its language variants. */
    public static String toYaml(TemplateCatalog catalog) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode templates = root.putArray("templates");
        Map<String, ArrayNode> languagesByName = new LinkedHashMap<>();
        for (TemplateDefinition t : catalog.templates()) {
            ArrayNode languages = languagesByName.computeIfAbsent(t.name(), name -> {
                ObjectNode template = templates.addObject().put("name", name).put("category", t.category());
                return template.putArray("languages");
            });
            ObjectNode language = languages.addObject().put("code", t.language()).put("status", t.status());
            if (!t.header().isEmpty()) {
                language.put("header", t.header());
            }
            language.put("body", t.body());
            ArrayNode buttons = language.putArray("quickReplies");
            t.quickReplies().forEach(buttons::add);
            if (!t.urlButton().isEmpty()) {
                language.put("urlButton", t.urlButton());
            }
        }
        return "# Synced from the WhatsApp Business Management API by CatalogSync; edits are overwritten by the next sync.\n"
                + new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                        .writeValueAsString(root);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
