package org.careloop.replies;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.careloop.config.YamlFiles;

/**
 * {@code mappings/replies.yaml}: the acknowledgement texts per action and language, and the quick-reply actions that
 * go to a clinician for review.
 */
public record ReplyRules(Map<String, Map<String, String>> acknowledgements, Set<String> reviewActions) {

    public static ReplyRules load(Path file) {
        JsonNode root = YamlFiles.read(file, "careloop.replies.rules-file");
        Map<String, Map<String, String>> acks = new HashMap<>();
        root.path("acknowledgements").fields().forEachRemaining(action -> {
            Map<String, String> texts = new HashMap<>();
            action.getValue().fields().forEachRemaining(t -> texts.put(t.getKey().toLowerCase(Locale.ROOT),
                    t.getValue().asText()));
            acks.put(action.getKey().toUpperCase(Locale.ROOT), texts);
        });
        Set<String> review = new HashSet<>();
        root.path("reviewActions").forEach(a -> review.add(a.asText().toUpperCase(Locale.ROOT)));
        return new ReplyRules(Map.copyOf(acks), Set.copyOf(review));
    }

    /** The acknowledgement for an action in a template language ("es", "en_US"): its language, else English. */
    public Optional<String> acknowledgement(String action, String templateLanguage) {
        Map<String, String> texts = acknowledgements.getOrDefault(action, Map.of());
        String language = templateLanguage == null ? "en" : templateLanguage.split("[_-]")[0].toLowerCase(Locale.ROOT);
        return Optional.ofNullable(texts.getOrDefault(language, texts.get("en")));
    }
}
