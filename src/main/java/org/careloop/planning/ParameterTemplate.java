package org.careloop.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A template parameter as a mapping writes it: text with placeholders, {@code "{appointment.start|EEEE d MMMM}"} or
 * {@code "{appointment.provider?your care team}"}. A placeholder is {@code {field[|format][?fallback]}}.
 *
 * <p>Fields: patient.given, patient.family, patient.name; appointment.date, appointment.time, appointment.datetime,
 * appointment.start (with a java.time pattern), appointment.location (else site.name), appointment.department,
 * appointment.provider, appointment.service, appointment.id; visit.location; site.name; medication.name (the drug,
 * where the site allows it); result.name (the tests of a report, where the site allows each one); result.id (the
 * report's id, OBR-3 or the DiagnosticReport's, for a portal link). Dates are written in the site's time zone and
 * the language of the template chosen for the patient.
 */
public final class ParameterTemplate {

    static final Set<String> FIELDS = Set.of("patient.given", "patient.family", "patient.name", "appointment.date",
            "appointment.time", "appointment.datetime", "appointment.start", "appointment.location",
            "appointment.department", "appointment.provider", "appointment.service", "appointment.id",
            "visit.location", "site.name", "medication.name", "result.name", "result.id");

    /** Literal text, or a placeholder (field non-null). */
    record Part(String text, String field, String format, String fallback) {
    }

    private final String source;
    private final List<Part> parts;

    private ParameterTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException naming the problem: an unclosed brace or an unknown field */
    public static ParameterTemplate parse(String source) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < source.length()) {
            int open = source.indexOf('{', at);
            if (open < 0) {
                parts.add(new Part(source.substring(at), null, null, null));
                break;
            }
            if (open > at) {
                parts.add(new Part(source.substring(at, open), null, null, null));
            }
            int close = source.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'" + source + "' opens a placeholder with { but never closes it");
            }
            parts.add(placeholder(source.substring(open + 1, close).trim()));
            at = close + 1;
        }
        return new ParameterTemplate(source, parts);
    }

    private static Part placeholder(String body) {
        String fallback = null;
        int question = body.indexOf('?');
        if (question >= 0) {
            fallback = body.substring(question + 1).trim();
            body = body.substring(0, question).trim();
        }
        String format = null;
        int bar = body.indexOf('|');
        if (bar >= 0) {
            format = body.substring(bar + 1).trim();
            body = body.substring(0, bar).trim();
        }
        if (!FIELDS.contains(body)) {
            throw new IllegalArgumentException("{" + body + "} is not a field CareLoop knows; use one of "
                    + FIELDS.stream().sorted().toList());
        }
        if (format != null && !"appointment.start".equals(body)) {
            throw new IllegalArgumentException("{" + body + "|" + format + "}: only appointment.start takes a format");
        }
        return new Part(null, body, format, fallback);
    }

    List<Part> parts() {
        return parts;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
