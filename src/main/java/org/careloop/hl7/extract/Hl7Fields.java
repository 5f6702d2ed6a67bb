package org.careloop.hl7.extract;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Field access over a parsed HAPI message that never throws and never returns null: a missing segment, field or
 * component reads as "". A segment is the first occurrence of its name anywhere in the message, so the same reader
 * works for every structure a segment appears in.
 *
 * <p>The message is walked once to index its segments: Terser's "/.PID" search walks the structure on every call
 * and cost more than the parse itself.
 */
final class Hl7Fields {

    private final Map<String, Segment> firstByName = new HashMap<>();
    /** Every occurrence of the segments read more than once (an ORU's OBRs), in message order. */
    private final Map<String, List<Segment>> allByName = new HashMap<>();

    Hl7Fields(Message message) {
        index(message);
    }

    private void index(Group group) {
        for (String name : group.getNames()) {
            Structure[] repetitions;
            try {
                repetitions = group.getAll(name);
            } catch (HL7Exception unknownName) {
                continue;
            }
            for (Structure structure : repetitions) {
                if (structure instanceof Group child) {
                    index(child);
                } else if (structure instanceof Segment segment && !isEmpty(segment)) {
                    firstByName.putIfAbsent(segment.getName(), segment);
                    allByName.computeIfAbsent(segment.getName(), n -> new ArrayList<>()).add(segment);
                }
            }
        }
    }

    /** The first segment with this name, if the message has one with any content. */
    Optional<Segment> segment(String name) {
        return Optional.ofNullable(firstByName.get(name));
    }

    /** Every segment with this name that has content, in message order. */
    List<Segment> segments(String name) {
        return allByName.getOrDefault(name, List.of());
    }

    /** Component {@code component}, subcomponent 1, of the first repetition of a field of the first such segment. */
    String get(String segment, int field, int component) {
        return get(segment, field, component, 1);
    }

    String get(String segment, int field, int component, int subcomponent) {
        Segment found = firstByName.get(segment);
        return found == null ? "" : get(found, field, 0, component, subcomponent);
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

    private static boolean isEmpty(Segment segment) {
        try {
            return segment.isEmpty();
        } catch (HL7Exception unreadable) {
            return true;
        }
    }
}
