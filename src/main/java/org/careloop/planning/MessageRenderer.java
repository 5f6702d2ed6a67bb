package org.careloop.planning;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.careloop.event.Appointment;
import org.careloop.event.CareEvent;
import org.careloop.event.Coded;
import org.careloop.event.Location;
import org.careloop.event.Order;
import org.careloop.event.Practitioner;

/**
 * Fills a mapping's parameters from an event, in the template language chosen for the patient: dates in the site's
 * time zone and that language's words; names that a feed sent in capitals ("SMITH") written as names ("Smith").
 */
public final class MessageRenderer {

    /** The filled parameters, or why the message cannot be written. */
    public record Rendered(List<String> values, String problem) {
    }

    private final ZoneId siteZone;
    private final String siteName;

    public MessageRenderer(ZoneId siteZone, String siteName) {
        this.siteZone = siteZone;
        this.siteName = siteName;
    }

    /**
     * The template language for this patient: theirs when the mapping offers it (exactly, or by language: "es" for
     * "es_MX"), else the mapping's fallback.
     */
    public static String languageFor(Mapping mapping, String patientLanguage) {
        if (patientLanguage != null) {
            String wanted = patientLanguage.replace('-', '_');
            for (String offered : mapping.languages()) {
                if (offered.equalsIgnoreCase(wanted)) {
                    return offered;
                }
            }
            String primary = wanted.split("_")[0];
            for (String offered : mapping.languages()) {
                if (offered.split("_")[0].equalsIgnoreCase(primary)) {
                    return offered;
                }
            }
        }
        return mapping.fallback();
    }

    public Rendered render(Mapping mapping, CareEvent event, String templateLanguage) {
        return render(mapping, event, templateLanguage, namedTests(mapping, event));
    }

    /**
     * @param testNames what {result.name} shows: the report's tests when the mapping allows every one to be named,
     *                  else nothing (its fallback)
     */
    Rendered render(Mapping mapping, CareEvent event, String templateLanguage, Optional<String> testNames) {
        List<String> values = new ArrayList<>();
        int position = 1;
        for (ParameterTemplate parameter : mapping.parameters()) {
            Optional<String> value = fill(parameter, event, templateLanguage, testNames);
            if (value.isEmpty()) {
                return new Rendered(List.of(), "parameter " + position + " (" + parameter.source()
                        + ") has no value in this event");
            }
            values.add(value.get());
            position++;
        }
        return new Rendered(values, null);
    }

    /**
     * A text with placeholders filled from the event in a language ("es", "en_US"), or empty when a placeholder
     * without a fallback has no value in it (or there is no event).
     */
    public Optional<String> fill(ParameterTemplate text, CareEvent event, String language) {
        return fill(text, event, language, Optional.empty());
    }

    private Optional<String> fill(ParameterTemplate text, CareEvent event, String language,
            Optional<String> testNames) {
        Locale locale = Locale.forLanguageTag(language.replace('_', '-'));
        StringBuilder value = new StringBuilder();
        for (ParameterTemplate.Part part : text.parts()) {
            if (part.field() == null) {
                value.append(part.text());
                continue;
            }
            Optional<String> field = event == null ? Optional.empty()
                    : ("result.name".equals(part.field()) ? testNames
                            : value(part.field(), part.format(), event, locale)).filter(v -> !v.isBlank());
            if (field.isEmpty() && part.fallback() == null) {
                return Optional.empty();
            }
            value.append(field.orElse(part.fallback()));
        }
        return Optional.of(value.toString().trim());
    }

    private Optional<String> value(String field, String format, CareEvent event, Locale locale) {
        Appointment appointment = event.appointment();
        return switch (field) {
            case "patient.given" -> Optional.ofNullable(event.patient().name()).map(n -> asName(n.given()));
            case "patient.family" -> Optional.ofNullable(event.patient().name()).map(n -> asName(n.family()));
            case "patient.name" -> Optional.ofNullable(event.patient().name())
                    .map(n -> (asName(n.given()) + " " + asName(n.family())).trim());
            case "appointment.start" -> start(event).map(s -> s.format(DateTimeFormatter.ofPattern(format == null
                    ? "yyyy-MM-dd HH:mm" : format, locale)));
            case "appointment.date" -> start(event).map(s -> s.format(DateTimeFormatter.ofLocalizedDate(
                    FormatStyle.FULL).withLocale(locale)));
            case "appointment.time" -> start(event).filter(s -> !appointment.dateOnly()).map(s -> s.format(
                    DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale)));
            case "appointment.datetime" -> start(event).map(s -> appointment.dateOnly()
                    ? s.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(locale))
                    : s.format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.FULL, FormatStyle.SHORT)
                            .withLocale(locale)));
            case "appointment.location" -> Optional.ofNullable(appointment).map(Appointment::location)
                    .map(MessageRenderer::place).filter(p -> !p.isBlank()).or(() -> Optional.of(siteName));
            case "appointment.department" -> Optional.ofNullable(appointment).map(Appointment::location)
                    .map(Location::facility);
            case "appointment.provider" -> Optional.ofNullable(appointment).map(Appointment::provider)
                    .map(MessageRenderer::clinician);
            case "appointment.service" -> Optional.ofNullable(appointment).map(Appointment::service)
                    .map(s -> s.display().isBlank() ? s.code() : asName(s.display()));
            case "appointment.id" -> Optional.ofNullable(appointment).map(Appointment::id);
            case "visit.location" -> Optional.ofNullable(event.visit()).map(v -> v.location())
                    .map(MessageRenderer::place);
            case "site.name" -> Optional.of(siteName);
            case "result.name" -> Optional.empty(); // by namedTests, where the mapping allows it
            case "result.id" -> Optional.ofNullable(event.order())
                    .map(o -> o.fillerId().isEmpty() ? o.placerId() : o.fillerId());
            case "medication.name" -> Optional.ofNullable(event.order()).map(Order::code)
                    .map(c -> c.display().isBlank() ? c.code() : c.display());
            default -> throw new IllegalStateException("ParameterTemplate accepted an unknown field " + field);
        };
    }

    /** The report's test names when its mapping allows every one of them to be named (results.namedTests). */
    private static Optional<String> namedTests(Mapping mapping, CareEvent event) {
        if (mapping.results() == null || event.order() == null || event.order().tests().isEmpty()) {
            return Optional.empty();
        }
        List<Coded> tests = event.order().tests().stream().map(Order.ReportedTest::test).toList();
        return tests.stream().allMatch(mapping.results()::mayName) ? Optional.of(String.join(", ", tests.stream()
                .map(t -> t.display().isBlank() ? t.code() : t.display()).toList())) : Optional.empty();
    }

    private Optional<ZonedDateTime> start(CareEvent event) {
        return Optional.ofNullable(event.appointment()).map(Appointment::start).map(s -> s.atZone(siteZone));
    }

    private static String place(Location location) {
        return asName(location.description().isBlank() ? location.pointOfCare() : location.description());
    }

    private static String clinician(Practitioner practitioner) {
        String name = (asName(practitioner.given()) + " " + asName(practitioner.family())).trim();
        return practitioner.prefix().isBlank() || name.isEmpty() ? name : asName(practitioner.prefix()) + " " + name;
    }

    /** "SMITH JOHN" as "Smith John"; text that already has small letters is left as written. */
    static String asName(String text) {
        if (text == null || text.isBlank() || !text.equals(text.toUpperCase(Locale.ROOT))) {
            return text == null ? "" : text;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean startOfWord = true;
        for (char c : text.toCharArray()) {
            out.append(startOfWord ? Character.toUpperCase(c) : Character.toLowerCase(c));
            startOfWord = !Character.isLetter(c);
        }
        return out.toString();
    }
}
