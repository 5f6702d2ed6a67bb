package org.careloop.hl7.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.hl7.HandledMessage;
import org.careloop.hl7.HandledMessage.Family;

/**
 * Decides, from the header and a few fields, whether a message can be accepted: the checks an AE or AR depends on,
 * cheap enough to run before the ACK. Everything else is read after the ACK, from the journal.
 *
 * <p>It also bounds what is accepted, so that nothing acknowledged can fail to be stored or to become an event: the
 * frame's size, every field's length (but OBX-5, which carries encapsulated documents CareLoop never reads), and the
 * header fields and ids that make the store's keys. A message over a bound gets AE, naming the field: sent again
 * as it is, it would be refused again.
 */
public final class IntakeScreen {

    private static final Set<String> VERSIONS = Set.of(
            "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2");
    /** Fields that may be as long as the frame allows. */
    private static final Set<String> UNBOUNDED_FIELDS = Set.of("OBX-5");
    /** HL7's length of an HD (MSH-3, MSH-4, an id's assigning authority) and of an id (ST 199). */
    private static final int HD_CHARS = 227;
    private static final int ID_CHARS = 199;

    /** A header field stored in its own column, or part of the dedupe key. */
    private record HeaderBound(int field, int maxChars, String name) {
    }

    private static final List<HeaderBound> HEADER_BOUNDS = List.of(
            new HeaderBound(3, HD_CHARS, "MSH-3 (sending application)"),
            new HeaderBound(4, HD_CHARS, "MSH-4 (sending facility)"),
            new HeaderBound(9, 15, "MSH-9 (message type)"),
            new HeaderBound(10, ID_CHARS, "MSH-10 (message control id)"),
            new HeaderBound(12, 16, "MSH-12 (version id)"));
    /** The ids that become the patient's and the appointment's keys: CX/EI, id in .1, assigning authority in .4. */
    private static final List<String> ID_FIELDS = List.of("PID-3", "MRG-1", "SCH-1", "SCH-2");

    private final AckCode unhandledTypeAck;
    private final int maxFrameBytes;
    private final int maxFieldChars;

    /**
     * @param unhandledTypeAck AA to accept and ignore types CareLoop does not handle (MFN...), AR to refuse them
     * @param maxFrameBytes    the largest message accepted (careloop.mllp.max-frame-bytes)
     * @param maxFieldChars    the longest field accepted (careloop.hl7.max-field-chars)
     */
    public IntakeScreen(AckCode unhandledTypeAck, int maxFrameBytes, int maxFieldChars) {
        this.unhandledTypeAck = unhandledTypeAck;
        this.maxFrameBytes = maxFrameBytes;
        this.maxFieldChars = maxFieldChars;
    }

    public Verdict screen(InboundMessage message) {
        if (message.raw().length > maxFrameBytes) {
            return Verdict.Refuse.of(AckCode.AE, new Hl7Error(Hl7Error.VALUE_TOO_LONG, "", 0, "the message is "
                    + message.raw().length + " bytes; CareLoop accepts at most " + maxFrameBytes
                    + " (careloop.mllp.max-frame-bytes)"));
        }
        if (!message.isHl7()) {
            return Verdict.Refuse.of(AckCode.AR, new Hl7Error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "MSH", 0,
                    "not an HL7 v2 message: it does not start with an MSH segment"));
        }
        Optional<Hl7Error> tooLong = tooLong(message.er7());
        if (tooLong.isPresent()) {
            return Verdict.Refuse.of(AckCode.AE, tooLong.get());
        }
        MessageHeader header = message.header();
        if (header.controlId().isEmpty()) {
            return Verdict.Refuse.of(AckCode.AR, Hl7Error.missingField("MSH", 10, "MSH-10 (message control id) is empty"));
        }
        if (header.messageType().isEmpty() || header.triggerEvent().isEmpty()) {
            return Verdict.Refuse.of(AckCode.AR,
                    Hl7Error.missingField("MSH", 9, "MSH-9 needs a message type and a trigger event, e.g. SIU^S12"));
        }
        if (!VERSIONS.contains(header.version())) {
            return Verdict.Refuse.of(AckCode.AR, new Hl7Error(Hl7Error.UNSUPPORTED_VERSION, "MSH", 12,
                    "MSH-12 version '" + header.version() + "' is not one CareLoop reads (2.3 to 2.8)"));
        }
        Optional<HandledMessage> type = HandledMessage.of(header.messageType(), header.triggerEvent());
        if (type.isEmpty()) {
            String reason = header.typeName() + " is not a message type CareLoop handles";
            return unhandledTypeAck == AckCode.AA
                    ? new Verdict.Ignore(reason)
                    : Verdict.Refuse.of(unhandledTypeAck,
                            new Hl7Error(Hl7Error.UNSUPPORTED_MESSAGE_TYPE, "MSH", 9, reason));
        }
        List<Hl7Error> missing = missingIds(message.er7(), type.get().family());
        return missing.isEmpty() ? new Verdict.Accept(type.get()) : new Verdict.Refuse(AckCode.AE, missing);
    }

    /** The first field longer than CareLoop stores: a key's part, or any field over the general bound. */
    private Optional<Hl7Error> tooLong(Er7Message message) {
        for (HeaderBound bound : HEADER_BOUNDS) {
            int length = message.field("MSH", bound.field()).length();
            if (length > bound.maxChars()) {
                return Optional.of(Hl7Error.tooLong("MSH", bound.field(), bound.name() + " is " + length
                        + " characters; CareLoop accepts at most " + bound.maxChars()));
            }
        }
        for (String ids : ID_FIELDS) {
            String segment = ids.substring(0, 3);
            int field = Integer.parseInt(ids.substring(4));
            for (String repetition : message.repetitions(segment, field)) {
                if (message.componentOf(repetition, 1).length() > ID_CHARS
                        || message.componentOf(repetition, 4).length() > HD_CHARS) {
                    return Optional.of(Hl7Error.tooLong(segment, field, ids + " holds an id longer than CareLoop "
                            + "accepts (" + ID_CHARS + " characters, " + HD_CHARS + " for its assigning authority)"));
                }
            }
        }
        return message.firstFieldLongerThan(maxFieldChars, UNBOUNDED_FIELDS).map(field -> Hl7Error.tooLong(
                field.segment(), field.field(), field.location() + " is " + field.length() + " characters; CareLoop "
                        + "accepts at most " + maxFieldChars + " in a field (careloop.hl7.max-field-chars)"));
    }

    /** The ids without which the message cannot become an event: resending it unchanged will not help (AE). */
    private static List<Hl7Error> missingIds(Er7Message message, Family family) {
        List<Hl7Error> missing = new ArrayList<>();
        if (family == Family.SCHEDULING && !message.hasValue("SCH", 1) && !message.hasValue("SCH", 2)) {
            missing.add(Hl7Error.missingField("SCH", 2,
                    "SCH-1 (placer appointment id) and SCH-2 (filler appointment id) are both empty"));
        }
        if (!message.hasValue("PID", 3)) {
            missing.add(Hl7Error.missingField("PID", 3, message.hasSegment("PID")
                    ? "PID-3 (patient identifier list) is empty" : "there is no PID segment, so no PID-3 patient id"));
        }
        if (family == Family.MERGE && !message.hasValue("MRG", 1)) {
            missing.add(Hl7Error.missingField("MRG", 1, "MRG-1 (prior patient identifier) is empty"));
        }
        return missing;
    }
}
