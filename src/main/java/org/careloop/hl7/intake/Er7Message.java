package org.careloop.hl7.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pipe-delimited (ER7) HL7 message cut into segments and fields, without parsing it into a HAPI structure.
 *
 * <p>The ACK and the dedupe key need only MSH and a handful of fields; a full HAPI parse costs ~100 µs a message,
 * so that runs after the ACK (see {@code CareEventExtractor}). Segments may end in CR, LF or CRLF.
 */
public final class Er7Message {

    private final List<String> segments;
    private final char fieldSeparator;
    private final char componentSeparator;
    private final char repetitionSeparator;

    private Er7Message(List<String> segments, char fieldSeparator, char componentSeparator, char repetitionSeparator) {
        this.segments = segments;
        this.fieldSeparator = fieldSeparator;
        this.componentSeparator = componentSeparator;
        this.repetitionSeparator = repetitionSeparator;
    }

    /** Reads the message, or returns empty when it does not start with an MSH segment. */
    public static Optional<Er7Message> read(String text) {
        int start = 0;
        while (start < text.length() && (Character.isWhitespace(text.charAt(start)) || text.charAt(start) == '\uFEFF')) {
            start++;
        }
        if (!text.startsWith("MSH", start) || text.length() < start + 8) {
            return Optional.empty();
        }
        char fieldSeparator = text.charAt(start + 3);
        char componentSeparator = text.charAt(start + 4);
        char repetitionSeparator = text.charAt(start + 5);
        if (Character.isLetterOrDigit(fieldSeparator) || Character.isWhitespace(fieldSeparator)) {
            return Optional.empty();
        }
        List<String> segments = new ArrayList<>();
        int from = start;
        for (int i = start; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\r' || text.charAt(i) == '\n') {
                if (i > from) {
                    segments.add(text.substring(from, i));
                }
                from = i + 1;
            }
        }
        return Optional.of(new Er7Message(segments, fieldSeparator, componentSeparator, repetitionSeparator));
    }

    public char fieldSeparator() {
        return fieldSeparator;
    }

    /** MSH-2: the component, repetition, escape and subcomponent characters as sent. */
    public String encodingCharacters() {
        return field("MSH", 2);
    }

    /** A whole field of the first segment with this id (MSH counted the HL7 way: MSH-1 is the separator), or "". */
    public String field(String segmentId, int field) {
        for (String segment : segments) {
            if (segment.startsWith(segmentId) && segment.length() > 3 && segment.charAt(3) == fieldSeparator) {
                return nthField(segment, "MSH".equals(segmentId) ? field - 1 : field);
            }
        }
        return "";
    }

    /** One component of the first repetition of a field, or "". */
    public String component(String segmentId, int field, int component) {
        String value = field(segmentId, field);
        int repetitionEnd = value.indexOf(repetitionSeparator);
        return nth(repetitionEnd < 0 ? value : value.substring(0, repetitionEnd), componentSeparator, component - 1);
    }

    /** True when any repetition of the field has a non-empty first component (an id, say). */
    public boolean hasValue(String segmentId, int field) {
        for (String repetition : split(field(segmentId, field), repetitionSeparator)) {
            if (!nth(repetition, componentSeparator, 0).isBlank()) {
                return true;
            }
        }
        return false;
    }

    public boolean hasSegment(String segmentId) {
        return segments.stream().anyMatch(s -> s.startsWith(segmentId)
                && (s.length() == 3 || s.charAt(3) == fieldSeparator));
    }

    private String nthField(String segment, int index) {
        return nth(segment, fieldSeparator, index);
    }

    private static String nth(String value, char separator, int index) {
        int from = 0;
        for (int i = 0; i < index; i++) {
            int next = value.indexOf(separator, from);
            if (next < 0) {
                return "";
            }
            from = next + 1;
        }
        int end = value.indexOf(separator, from);
        return end < 0 ? value.substring(from) : value.substring(from, end);
    }

    private static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == separator) {
                parts.add(value.substring(from, i));
                from = i + 1;
            }
        }
        return parts;
    }
}
