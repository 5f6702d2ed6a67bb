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
 */
public final class IntakeScreen {

    private static final Set<String> VERSIONS = Set.of(
            "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2");

    private final AckCode unhandledTypeAck;

    /** @param unhandledTypeAck AA to accept and ignore types CareLoop does not handle (MFN...), AR to refuse them */
    public IntakeScreen(AckCode unhandledTypeAck) {
        this.unhandledTypeAck = unhandledTypeAck;
    }

    public Verdict screen(InboundMessage message) {
        if (!message.isHl7()) {
            return Verdict.Refuse.of(AckCode.AR, new Hl7Error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "MSH", 0,
                    "not an HL7 v2 message: it does not start with an MSH segment"));
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
