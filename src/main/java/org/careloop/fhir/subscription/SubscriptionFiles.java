package org.careloop.fhir.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.careloop.config.YamlFiles;

/**
 * Reads {@code careloop.fhir.subscriptions-file}: the subscriptions CareLoop answers. A wrong entry stops start-up with
 * a message naming the file, the entry and the fix. Secrets come from the environment or a file, not this file,
 * except in tests and the sandbox ({@code secret}).
 */
public final class SubscriptionFiles {


    private SubscriptionFiles() {
    }

    /** @param environment the process environment (a parameter so that tests can give their own) */
    public static Map<String, Subscription> load(Path file, Function<String, String> environment) {
        JsonNode root = YamlFiles.read(file, "careloop.fhir.subscriptions-file");
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root.path("subscriptions")) {
            String id = node.path("id").asText("");
            String where = file + ": subscription '" + (id.isEmpty() ? "#" + index : id) + "'";
            index++;
            if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
                problems.add(where + ": id must be 1 to 64 letters, digits, '-' or '_' (it is the endpoint's path)");
                continue;
            }
            if (subscriptions.containsKey(id)) {
                problems.add(where + ": the id is used twice; give each subscription its own");
                continue;
            }
            String criteria = node.path("criteria").asText("");
            String type = criteria.contains("?") ? criteria.substring(0, criteria.indexOf('?')) : criteria;
            if (!Subscription.RESOURCE_TYPES.contains(type)) {
                problems.add(where + ": criteria '" + criteria + "' must search Appointment, Patient, "
                        + "Encounter, DiagnosticReport or MedicationRequest, e.g. "
                        + "Appointment?status=booked,cancelled,noshow");
                continue;
            }
            try {
                subscriptions.put(id, new Subscription(id, node.path("header").asText("Authorization"),
                        secret(node, environment), criteria));
            } catch (IOException e) {
                problems.add(where + ": secretFile cannot be read (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return Map.copyOf(subscriptions);
    }

    private static String secret(JsonNode node, Function<String, String> environment) throws IOException {
        if (node.hasNonNull("secretFile")) {
            return Files.readString(Path.of(node.path("secretFile").asText())).trim();
        }
        if (node.hasNonNull("secretEnv")) {
            String value = environment.apply(node.path("secretEnv").asText());
            return value == null || value.isBlank() ? null : value.trim();
        }
        return node.hasNonNull("secret") ? node.path("secret").asText() : null;
    }
}
