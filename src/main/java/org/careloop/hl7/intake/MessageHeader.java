package org.careloop.hl7.intake;

import java.util.Locale;

/** The MSH fields the ACK, the dedupe key and the routing need, read before the message is parsed. */
public record MessageHeader(
        String encodingCharacters,
        char fieldSeparator,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageTime,
        String messageType,
        String triggerEvent,
        String controlId,
        String processingId,
        String version,
        String acceptAckType,
        String applicationAckType,
        String characterSet) {

    static MessageHeader of(Er7Message message) {
        return new MessageHeader(
                message.encodingCharacters(),
                message.fieldSeparator(),
                message.field("MSH", 3),
                message.field("MSH", 4),
                message.field("MSH", 5),
                message.field("MSH", 6),
                message.field("MSH", 7),
                message.component("MSH", 9, 1).trim().toUpperCase(Locale.ROOT),
                message.component("MSH", 9, 2).trim().toUpperCase(Locale.ROOT),
                message.field("MSH", 10).trim(),
                message.component("MSH", 11, 1),
                message.component("MSH", 12, 1).trim(),
                message.field("MSH", 15).trim().toUpperCase(Locale.ROOT),
                message.field("MSH", 16).trim().toUpperCase(Locale.ROOT),
                message.field("MSH", 18));
    }

    /**
     * Whether this outcome gets an accept ACK (CA/CE/CR) by MSH-15, HL7 table 0155: AL always, NE never, ER only for
     * an error or a rejection, SU only on success; an empty MSH-15 is original mode. An unknown value counts as AL.
     */
    public boolean wantsAcceptAck(AckCode outcome) {
        return !acceptAckType.isEmpty() && asks(acceptAckType, outcome);
    }

    /** Whether MSH-16 asks for an application ACK for this outcome (empty: AL). */
    public boolean wantsApplicationAck(AckCode outcome) {
        return applicationAckType.isEmpty() || asks(applicationAckType, outcome);
    }

    private static boolean asks(String type, AckCode outcome) {
        return switch (type) {
            case "NE" -> false;
            case "ER" -> outcome != AckCode.AA;
            case "SU" -> outcome == AckCode.AA;
            default -> true;
        };
    }

    /** MSH-15 or MSH-16 valued: the sender speaks enhanced mode. */
    public boolean enhancedMode() {
        return !acceptAckType.isEmpty() || !applicationAckType.isEmpty();
    }

    /** "SIU^S12", for logs and operators; the control id and message type carry no patient data. */
    public String typeName() {
        return messageType + "^" + triggerEvent;
    }
}
