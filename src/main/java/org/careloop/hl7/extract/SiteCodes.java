package org.careloop.hl7.extract;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.careloop.config.YamlFiles;
import org.careloop.event.AppointmentStatus;

/**
 * A site's own HL7 codes, from a YAML file an integration engineer edits ({@code mappings/hl7-codes.yaml}):
 * appointment status codes (SCH-25) and language codes (PID-15) that the standard tables do not cover.
 *
 * <p>A wrong entry stops start-up with a message that names the file, the entry and the fix.
 */
public record SiteCodes(Map<String, AppointmentStatus> appointmentStatus, Map<String, String> language) {

    public static SiteCodes none() {
        return new SiteCodes(Map.of(), Map.of());
    }

    public static SiteCodes load(Path file) {
        JsonNode root = YamlFiles.read(file, "careloop.hl7.site-codes");
        if (root.isMissingNode() || root.isNull()) {
            return none();
        }
        Map<String, AppointmentStatus> statuses = new HashMap<>();
        entries(file, root, "appointmentStatus").forEach((code, value) -> statuses.put(code, status(file, code, value)));
        Map<String, String> languages = new HashMap<>();
        entries(file, root, "language").forEach((code, value) -> languages.put(code, languageTag(file, code, value)));
        return new SiteCodes(Map.copyOf(statuses), Map.copyOf(languages));
    }

    private static Map<String, String> entries(Path file, JsonNode root, String section) {
        JsonNode node = root.path(section);
        Map<String, String> entries = new HashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return entries;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": '" + section + "' must be a map of code: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            entries.put(entry.getKey().trim().toUpperCase(Locale.ROOT), entry.getValue().asText());
        }
        return entries;
    }

    private static AppointmentStatus status(Path file, String code, String value) {
        try {
            return AppointmentStatus.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": appointmentStatus '" + code + "' maps to '" + value
                    + "', which is not an appointment status; use one of proposed, pending, booked, arrived, "
                    + "fulfilled, cancelled, noshow, entered-in-error, checked-in, waitlist");
        }
    }

    private static String languageTag(Path file, String code, String value) {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(value.trim()).build();
            if (!locale.getLanguage().isEmpty()) {
                return locale.toLanguageTag();
            }
        } catch (IllformedLocaleException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(file + ": language '" + code + "' maps to '" + value
                + "', which is not a BCP-47 language tag; use a tag such as es, en-GB or pt-BR");
    }
}
