package org.careloop.planning;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.careloop.config.YamlFiles;
import org.careloop.event.EventKind;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.catalog.TemplateDefinition;

/**
 * Reads the mapping files and checks them against the template catalog. Every problem is reported, each naming the
 * file, the mapping id and the fix; any problem stops start-up, so a broken mapping is found at start-up and not at
 * 3 a.m. when its first message is due.
 */
public final class MappingFiles {

    private static final Pattern CHECKIN = Pattern.compile("(\\d{1,3})\\s*d\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})");

    private MappingFiles() {
    }

    public static List<Mapping> load(List<Path> files, TemplateCatalog catalog, Path catalogFile) {
        List<Mapping> mappings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            JsonNode root;
            try {
                root = YamlFiles.read(file, "careloop.planning.mapping-files");
            } catch (IllegalArgumentException unreadable) {
                problems.add(unreadable.getMessage());
                continue;
            }
            int index = 0;
            for (JsonNode node : iterable(root.path("mappings"))) {
                String where = file + ": mapping '" + node.path("id").asText("#" + index) + "'";
                List<String> found = new ArrayList<>();
                Optional<Mapping> mapping = read(file, node, found);
                found.forEach(problem -> problems.add(where + ": " + problem));
                mapping.ifPresent(m -> {
                    if (!ids.add(m.id())) {
                        problems.add(where + ": the id is used by another mapping; ids must be unique");
                    }
                    checkAgainstCatalog(m, catalog, catalogFile).forEach(problem -> problems.add(where + ": " + problem));
                    mappings.add(withUrlButtonIndex(m, catalog));
                });
                index++;
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The mappings cannot be used:\n  " + String.join("\n  ", problems));
        }
        return List.copyOf(mappings);
    }

    private static Optional<Mapping> read(Path file, JsonNode node, List<String> problems) {
        String id = node.path("id").asText("");
        if (id.isBlank()) {
            problems.add("has no 'id'; give every mapping a unique id");
        }
        Set<EventKind> events = new LinkedHashSet<>();
        for (JsonNode event : iterable(node.path("when").path("events"))) {
            try {
                events.add(EventKind.valueOf(event.asText().trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add("'" + event.asText() + "' is not an event kind; use one of " + List.of(EventKind.values()));
            }
        }
        if (events.isEmpty()) {
            problems.add("'when.events' is empty; list the events it answers, e.g. [APPOINTMENT_BOOKED]");
        }
        JsonNode template = node.path("template");
        String name = template.path("name").asText("");
        if (name.isBlank()) {
            problems.add("'template.name' is missing; name a template of the catalog");
        }
        List<String> languages = new ArrayList<>();
        iterable(template.path("languages")).forEach(l -> languages.add(l.asText()));
        if (languages.isEmpty()) {
            problems.add("'template.languages' is empty; list the template languages to use, e.g. [en_US, es]");
        }
        String fallback = template.path("fallback").asText(languages.isEmpty() ? "" : languages.get(0));
        if (!languages.isEmpty() && !languages.contains(fallback)) {
            problems.add("'template.fallback' " + fallback + " is not one of its languages " + languages);
        }
        List<ParameterTemplate> parameters = new ArrayList<>();
        int position = 1;
        for (JsonNode parameter : iterable(node.path("parameters"))) {
            try {
                ParameterTemplate parsed = ParameterTemplate.parse(parameter.asText());
                checkFormats(parsed);
                parameters.add(parsed);
            } catch (IllegalArgumentException e) {
                problems.add("parameter " + position + ": " + e.getMessage());
            }
            position++;
        }
        List<String> buttons = new ArrayList<>();
        for (JsonNode button : iterable(node.path("buttons"))) {
            String action = button.asText().trim().toUpperCase(Locale.ROOT);
            if (!action.matches("[A-Z][A-Z0-9_]{0,30}")) {
                problems.add("button action '" + button.asText() + "' must be a word such as CONFIRM, CANCEL, "
                        + "RESCHEDULE, STOP or a site action like CALL_BACK");
            }
            buttons.add(action);
        }
        List<Duration> beforeStart = new ArrayList<>();
        JsonNode schedule = node.path("schedule");
        if (schedule.isTextual() && !"immediately".equals(schedule.asText())) {
            problems.add("'schedule' is '" + schedule.asText() + "'; use 'immediately', beforeStart: [48h, 24h] or "
                    + "afterDischarge: [1d 10:00, 3d 10:00]");
        }
        for (JsonNode offset : iterable(schedule.path("beforeStart"))) {
            Optional<Duration> parsed = Durations.parse(offset.asText());
            if (parsed.isEmpty()) {
                problems.add("'schedule.beforeStart' " + offset.asText() + " is not an offset such as 48h, 90m or 2d");
                continue;
            }
            beforeStart.add(parsed.get());
        }
        List<Mapping.CheckinDay> afterDischarge = new ArrayList<>();
        for (JsonNode checkin : iterable(schedule.path("afterDischarge"))) {
            Matcher matcher = CHECKIN.matcher(checkin.asText().trim());
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 23
                    || Integer.parseInt(matcher.group(3)) > 59) {
                problems.add("'schedule.afterDischarge' " + checkin.asText() + " is not a day and a local time such "
                        + "as 1d 10:00 (the day after discharge, at 10:00)");
                continue;
            }
            afterDischarge.add(new Mapping.CheckinDay(Integer.parseInt(matcher.group(1)), LocalTime.of(
                    Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)))));
        }
        if (!afterDischarge.isEmpty() && !events.equals(Set.of(EventKind.PATIENT_DISCHARGED))) {
            problems.add("'schedule.afterDischarge' counts days from a discharge: make 'when.events' "
                    + "[PATIENT_DISCHARGED]");
        }
        if (!beforeStart.isEmpty() && events.stream().anyMatch(e -> !e.name().startsWith("APPOINTMENT_"))) {
            problems.add("'schedule.beforeStart' needs an appointment start, but it answers non-appointment events");
        }
        Optional<ResultRules> results = ResultRules.read(node.path("results"), problems);
        if (results.isPresent() && (!events.equals(Set.of(EventKind.RESULT_REPORTED)) || !beforeStart.isEmpty())) {
            problems.add("'results' rules answer RESULT_REPORTED alone, sent after the batch window: make "
                    + "'when.events' [RESULT_REPORTED] and 'schedule' immediately");
        }
        if (results.isEmpty() && events.contains(EventKind.RESULT_REPORTED)) {
            problems.add("it answers RESULT_REPORTED without 'results' rules; add them (see mappings/results.yaml): "
                    + "which statuses are announced, the batch window, the sensitive tests");
        }
        Optional<MedicationRules> medications = MedicationRules.read(node.path("medications"), problems);
        if (medications.isPresent() != events.contains(EventKind.MEDICATION_ORDERED)
                || medications.isPresent() && (events.size() > 1 || !beforeStart.isEmpty())) {
            problems.add("medication reminders are a 'medications' block answering MEDICATION_ORDERED alone, sent at "
                    + "the dose times: give 'when.events' [MEDICATION_ORDERED], 'schedule' immediately and "
                    + "'medications' rules (see mappings/medications.yaml)");
        }
        boolean unnamedFallback = parameters.stream().flatMap(p -> p.parts().stream())
                .allMatch(part -> !"result.name".equals(part.field()) || part.fallback() != null);
        if (!unnamedFallback) {
            problems.add("{result.name} needs a fallback, e.g. {result.name?your test results}: a test the site has "
                    + "not listed in results.namedTests, or a notice for several reports, names none");
        }
        boolean showsDrug = parameters.stream().flatMap(p -> p.parts().stream())
                .anyMatch(part -> "medication.name".equals(part.field()));
        if (showsDrug && !medications.map(MedicationRules::showDrugName).orElse(false)) {
            problems.add("{medication.name} shows the drug, which the site has not allowed: set "
                    + "'medications.showDrugName: true', or remove the field");
        }
        ParameterTemplate urlSuffix = null;
        if (node.hasNonNull("urlButton")) {
            try {
                urlSuffix = ParameterTemplate.parse(node.path("urlButton").asText());
            } catch (IllegalArgumentException e) {
                problems.add("'urlButton': " + e.getMessage());
            }
        }
        JsonNode when = node.path("when");
        return problems.isEmpty() ? Optional.of(new Mapping(file.toString(), id,
                new Mapping.When(events, strings(when.path("sendingFacility")), strings(when.path("location")),
                        strings(when.path("department")), strings(when.path("service"))),
                name, languages, fallback, parameters, buttons, beforeStart, afterDischarge, results.orElse(null),
                medications.orElse(null), urlSuffix == null ? null : new Mapping.UrlButton(0, urlSuffix)))
                : Optional.empty();
    }

    private static List<String> checkAgainstCatalog(Mapping mapping, TemplateCatalog catalog, Path catalogFile) {
        List<String> problems = new ArrayList<>();
        if (!catalog.hasTemplate(mapping.template())) {
            problems.add("template '" + mapping.template() + "' is not in " + catalogFile
                    + "; add it there (or run the catalog sync) or correct the name");
            return problems;
        }
        for (String language : mapping.languages()) {
            Optional<TemplateDefinition> definition = catalog.find(mapping.template(), language);
            if (definition.isEmpty()) {
                problems.add("template '" + mapping.template() + "' has no language '" + language + "' in "
                        + catalogFile + "; add that translation or remove it from template.languages");
                continue;
            }
            TemplateDefinition t = definition.get();
            if (!t.isApproved()) {
                problems.add("template '" + mapping.template() + "' (" + language + ") is " + t.status()
                        + ", not APPROVED; wait for Meta's approval or use another template");
            }
            int expected = t.bodyParameters().size();
            if (expected != mapping.parameters().size()) {
                problems.add("template '" + mapping.template() + "' (" + language + ") takes " + expected
                        + " body parameters, the mapping gives " + mapping.parameters().size()
                        + "; make 'parameters' match " + t.bodyParameters());
            }
            if (t.hasUrlParameter() != (mapping.urlButton() != null)) {
                problems.add(t.hasUrlParameter() ? "template '" + mapping.template() + "' (" + language + ") has a URL "
                        + "button ending in a parameter (" + t.urlButton() + "); give the mapping 'urlButton', e.g. "
                        + "\"{result.id}\"" : "template '" + mapping.template() + "' (" + language + ") has no URL "
                        + "button with a parameter; remove 'urlButton' from the mapping");
            }
            if (mapping.buttons().size() > t.quickReplies().size()) {
                problems.add("template '" + mapping.template() + "' (" + language + ") has "
                        + t.quickReplies().size() + " quick-reply buttons, the mapping maps " + mapping.buttons().size());
            }
        }
        return problems;
    }

    /** The URL button comes after the template's quick replies: its index is their number. */
    private static Mapping withUrlButtonIndex(Mapping m, TemplateCatalog catalog) {
        if (m.urlButton() == null) {
            return m;
        }
        int index = catalog.find(m.template(), m.fallback()).map(t -> t.quickReplies().size()).orElse(0);
        return new Mapping(m.file(), m.id(), m.when(), m.template(), m.languages(), m.fallback(), m.parameters(),
                m.buttons(), m.beforeStart(), m.afterDischarge(), m.results(), m.medications(),
                new Mapping.UrlButton(index, m.urlButton().suffix()));
    }

    private static void checkFormats(ParameterTemplate parameter) {
        for (ParameterTemplate.Part part : parameter.parts()) {
            if (part.format() != null) {
                try {
                    DateTimeFormatter.ofPattern(part.format());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + part.format() + "' is not a date pattern: " + e.getMessage());
                }
            }
        }
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> values = new LinkedHashSet<>();
        if (node.isTextual()) {
            values.add(node.asText());
        }
        iterable(node).forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node.isArray() ? node::elements : List.of();
    }
}
