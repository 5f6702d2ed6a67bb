package org.careloop.replies;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.careloop.config.YamlFiles;
import org.careloop.consent.OptOutWords;
import org.careloop.planning.ParameterTemplate;

/**
 * {@code mappings/replies.yaml}: what CareLoop answers, per language ("en" when the patient's is not there), with
 * the appointment's fields as in mappings ({@code {appointment.datetime}}) filled from the appointment as it now is:
 *
 * <ul>
 *   <li>{@code acknowledgements}: the text after each kind of reply;</li>
 *   <li>{@code changedAppointment}: the question asked instead of confirming when the message the patient answered
 *       showed another time, place or clinician, with its three reply buttons' titles;</li>
 *   <li>{@code closedAppointment}: the answer to a reply about an appointment that was cancelled, has passed, or
 *       was missed;</li>
 *   <li>{@code reviewActions}: the quick-reply actions that go to a clinician;</li>
 *   <li>{@code redFlags}: words and phrases, per language, that put a patient's own message in front of a clinician
 *       (any language's for everyone, matched as opt-out words are).</li>
 * </ul>
 */
public record ReplyRules(Map<String, Map<String, ParameterTemplate>> acknowledgements,
        Map<String, Question> changedAppointment, Map<String, Map<String, ParameterTemplate>> closedAppointment,
        Set<String> reviewActions, Set<List<String>> redFlags) {

    /** Why an appointment can no longer be confirmed or cancelled. */
    public enum Closed {
        CANCELLED, PAST, MISSED
    }

    /** The question's buttons, in order: their titles are the entries of these names. */
    public static final List<String> BUTTONS = List.of("confirm", "cancel", "reschedule");
    /** The WhatsApp limits of a reply-button message. */
    private static final int MAX_BODY = 1024;
    private static final int MAX_TITLE = 20;

    /** A question with reply buttons: the text and, in order, the titles of Confirm, Cancel and Reschedule. */
    public record Question(ParameterTemplate text, List<String> buttonTitles) {
    }

    /** @throws IllegalArgumentException naming the file, the entry and the fix */
    public static ReplyRules load(Path file) {
        JsonNode root = YamlFiles.read(file, "careloop.replies.rules-file");
        Map<String, Map<String, ParameterTemplate>> acks = new HashMap<>();
        root.path("acknowledgements").fields().forEachRemaining(action -> acks.put(
                action.getKey().toUpperCase(Locale.ROOT), texts(file, "acknowledgements." + action.getKey(),
                        action.getValue())));
        Map<String, Question> changed = new HashMap<>();
        root.path("changedAppointment").fields().forEachRemaining(language -> changed.put(
                language.getKey().toLowerCase(Locale.ROOT), question(file, language.getKey(), language.getValue())));
        Map<String, Map<String, ParameterTemplate>> closed = new HashMap<>();
        for (Closed reason : Closed.values()) {
            String key = reason.name().toLowerCase(Locale.ROOT);
            closed.put(reason.name(), texts(file, "closedAppointment." + key, root.path("closedAppointment").path(key)));
        }
        Set<String> review = new HashSet<>();
        root.path("reviewActions").forEach(a -> review.add(a.asText().toUpperCase(Locale.ROOT)));
        Set<List<String>> redFlags = new HashSet<>();
        root.path("redFlags").fields().forEachRemaining(language -> language.getValue().forEach(phrase -> {
            List<String> words = OptOutWords.words(phrase.asText());
            if (words.isEmpty()) {
                throw new IllegalArgumentException(file + ": redFlags." + language.getKey() + ": '" + phrase.asText()
                        + "' has no letters or digits; remove it");
            }
            redFlags.add(words);
        }));
        return new ReplyRules(Map.copyOf(acks), Map.copyOf(changed), Map.copyOf(closed), Set.copyOf(review),
                Set.copyOf(redFlags));
    }

    /** Whether a patient's own words hold one of the red-flag phrases (as whole words, in order). */
    public boolean raisesRedFlag(String text) {
        List<String> words = OptOutWords.words(text == null ? "" : text);
        return redFlags.stream().anyMatch(phrase -> Collections.indexOfSubList(words, phrase) >= 0);
    }

    /** The acknowledgement for an action in a template language ("es", "en_US"): its language, else English. */
    public Optional<ParameterTemplate> acknowledgement(String action, String templateLanguage) {
        return inLanguage(acknowledgements.getOrDefault(action, Map.of()), templateLanguage);
    }

    public Optional<Question> changed(String templateLanguage) {
        return inLanguage(changedAppointment, templateLanguage);
    }

    public Optional<ParameterTemplate> closed(Closed reason, String templateLanguage) {
        return inLanguage(closedAppointment.get(reason.name()), templateLanguage);
    }

    private static <T> Optional<T> inLanguage(Map<String, T> texts, String templateLanguage) {
        String language = templateLanguage == null ? "en" : templateLanguage.split("[_-]")[0].toLowerCase(Locale.ROOT);
        return Optional.ofNullable(texts.getOrDefault(language, texts.get("en")));
    }

    private static Map<String, ParameterTemplate> texts(Path file, String entry, JsonNode node) {
        Map<String, ParameterTemplate> texts = new HashMap<>();
        node.fields().forEachRemaining(text -> texts.put(text.getKey().toLowerCase(Locale.ROOT),
                parsed(file, entry + "." + text.getKey(), text.getValue().asText())));
        return Map.copyOf(texts);
    }

    private static Question question(Path file, String language, JsonNode node) {
        String entry = "changedAppointment." + language;
        ParameterTemplate text = parsed(file, entry + ".text", node.path("text").asText(""));
        if (node.path("text").asText("").isBlank() || node.path("text").asText().length() > MAX_BODY) {
            throw new IllegalArgumentException(file + ": " + entry + ".text must be 1 to " + MAX_BODY
                    + " characters (WhatsApp's limit for a message with reply buttons)");
        }
        List<String> titles = new ArrayList<>();
        for (String button : BUTTONS) {
            String title = node.path(button).asText("");
            if (title.isBlank() || title.length() > MAX_TITLE) {
                throw new IllegalArgumentException(file + ": " + entry + "." + button + " must be a button title of 1 "
                        + "to " + MAX_TITLE + " characters (WhatsApp's limit)");
            }
            titles.add(title);
        }
        if (Set.copyOf(titles).size() < titles.size()) {
            throw new IllegalArgumentException(file + ": " + entry + ": the three button titles must differ "
                    + "(WhatsApp refuses two buttons with one title)");
        }
        return new Question(text, List.copyOf(titles));
    }

    private static ParameterTemplate parsed(Path file, String entry, String text) {
        try {
            return ParameterTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + entry + ": " + e.getMessage());
        }
    }
}
