package org.careloop.hl7.extract;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;
import java.util.Optional;

/**
 * Field access over a parsed HAPI message that never throws and never returns null: a missing segment, field or
 * component reads as "". Segments are found anywhere in the message (the first occurrence), so the same reader works
 * for every structure a segment appears in.
 */
final class Hl7Fields {

    private final Terser terser;

    Hl7Fields(Message message) {
        this.terser = new Terser(message);
    }

    /** The first segment with this name, if the message has one with any content. */
    Optional<Segment> segment(String name) {
        try {
            Segment segment = terser.getSegment("/." + name);
            return segment == null || segment.isEmpty() ? Optional.empty() : Optional.of(segment);
        } catch (HL7Exception missing) {
            return Optional.empty();
        }
    }

    /** Component {@code component}, subcomponent 1, of the first repetition of a field of the first such segment. */
    String get(String segment, int field, int component) {
        return segment(segment).map(s -> get(s, field, 0, component, 1)).orElse("");
    }

    String get(String segment, int field, int component, int subcomponent) {
        return segment(segment).map(s -> get(s, field, 0, component, subcomponent)).orElse("");
    }

    static String get(Segment segment, int field, int repetition, int component, int subcomponent) {
        try {
            if (field > segment.numFields() || repetition >= segment.getField(field).length) {
                return "";
            }
            String value = Terser.get(segment, field, repetition, component, subcomponent);
            return value == null ? "" : value.trim();
        } catch (HL7Exception | RuntimeException missing) {
            return "";
        }
    }

    static int repetitions(Segment segment, int field) {
        try {
            return field > segment.numFields() ? 0 : segment.getField(field).length;
        } catch (HL7Exception | RuntimeException missing) {
            return 0;
        }
    }
}
