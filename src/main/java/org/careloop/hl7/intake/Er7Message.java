package org.careloop.hl7.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A pipe-delimited (ER7) HL7 message read just enough to find segments and fields, without parsing it into a HAPI
 * structure: the ACK and the dedupe key need only MSH and a handful of fields, and a full HAPI parse (~100 µs) runs
 * after the ACK. Segments may end in CR, LF or CRLF. Substrings are cut only for the fields asked for.
 */
public final class Er7Message {

    private final String text;
    private final int start;
    private final char fieldSeparator;
    private final char componentSeparator;
    private final char repetitionSeparator;

    private Er7Message(String text, int start) {
        this.text = text;
        this.start = start;
        this.fieldSeparator = text.charAt(start + 3);
        this.componentSeparator = text.charAt(start + 4);
        this.repetitionSeparator = text.charAt(start + 5);
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
        if (Character.isLetterOrDigit(fieldSeparator) || Character.isWhitespace(fieldSeparator)) {
            return Optional.empty();
        }
        return Optional.of(new Er7Message(text, start));
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
        int segment = findSegment(segmentId);
        if (segment < 0) {
            return "";
        }
        return nth(text, segment, segmentEnd(segment), fieldSeparator, "MSH".equals(segmentId) ? field - 1 : field);
    }

    /** One component of the first repetition of a field, or "". */
    public String component(String segmentId, int field, int component) {
        String value = field(segmentId, field);
        int repetitionEnd = value.indexOf(repetitionSeparator);
        return nth(value, 0, repetitionEnd < 0 ? value.length() : repetitionEnd, componentSeparator, component - 1);
    }

    /** True when any repetition of the field has a non-empty first component (an id, say). */
    public boolean hasValue(String segmentId, int field) {
        String value = field(segmentId, field);
        int from = 0;
        while (from <= value.length()) {
            int repetitionEnd = value.indexOf(repetitionSeparator, from);
            int end = repetitionEnd < 0 ? value.length() : repetitionEnd;
            if (!nth(value, from, end, componentSeparator, 0).isBlank()) {
                return true;
            }
            from = end + 1;
        }
        return false;
    }

    /** Every repetition of the field, in order ("" when the field is absent or empty). */
    public List<String> repetitions(String segmentId, int field) {
        String value = field(segmentId, field);
        List<String> repetitions = new ArrayList<>();
        int from = 0;
        while (true) {
            int end = value.indexOf(repetitionSeparator, from);
            repetitions.add(value.substring(from, end < 0 ? value.length() : end));
            if (end < 0) {
                return repetitions;
            }
            from = end + 1;
        }
    }

    /** One component of a field value (a repetition, say), or "". */
    public String componentOf(String value, int component) {
        return nth(value, 0, value.length(), componentSeparator, component - 1);
    }

    /** A field of some segment and how long it is. */
    public record FieldLength(String segment, int field, int length) {

        public String location() {
            return segment + "-" + field;
        }
    }

    /**
     * The first field, in any segment, longer than {@code maxChars}, except those named in {@code exempt}
     * ("OBX-5"); one pass over the text.
     */
    public Optional<FieldLength> firstFieldLongerThan(int maxChars, Set<String> exempt) {
        int segmentStart = start;
        while (segmentStart < text.length()) {
            int segmentEnd = segmentEnd(segmentStart);
            if (segmentEnd - segmentStart > maxChars) {
                String segment = text.substring(segmentStart, Math.min(segmentStart + 3, segmentEnd));
                int fieldNumber = "MSH".equals(segment) ? 1 : 0;
                int fieldStart = segmentStart;
                while (fieldStart <= segmentEnd) {
                    int next = text.indexOf(fieldSeparator, fieldStart);
                    int fieldEnd = next < 0 || next > segmentEnd ? segmentEnd : next;
                    if (fieldEnd - fieldStart > maxChars && !exempt.contains(segment + "-" + fieldNumber)) {
                        return Optional.of(new FieldLength(segment, fieldNumber, fieldEnd - fieldStart));
                    }
                    fieldNumber++;
                    fieldStart = fieldEnd + 1;
                }
            }
            segmentStart = segmentEnd + 1;
        }
        return Optional.empty();
    }

    public boolean hasSegment(String segmentId) {
        return findSegment(segmentId) >= 0;
    }

    /** The offset of the first segment with this id, or -1. */
    private int findSegment(String segmentId) {
        int at = start;
        while (at < text.length()) {
            if (text.startsWith(segmentId, at) && at + 3 < text.length() && text.charAt(at + 3) == fieldSeparator) {
                return at;
            }
            at = segmentEnd(at) + 1;
        }
        return -1;
    }

    private int segmentEnd(int segmentStart) {
        for (int i = segmentStart; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return text.length();
    }

    /** The index-th part of value[from, to) split on separator, or "". */
    private static String nth(String value, int from, int to, char separator, int index) {
        int partStart = from;
        for (int i = 0; i < index; i++) {
            int next = value.indexOf(separator, partStart);
            if (next < 0 || next >= to) {
                return "";
            }
            partStart = next + 1;
        }
        int end = value.indexOf(separator, partStart);
        return value.substring(partStart, end < 0 || end > to ? to : end);
    }
}
