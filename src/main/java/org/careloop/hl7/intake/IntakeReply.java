package org.careloop.hl7.intake;

import java.nio.charset.StandardCharsets;

/**
 * The answer to one inbound message.
 *
 * @param ack        the ACK message, one char a byte: the sender's own bytes where it echoes them, ASCII elsewhere;
 *                   null when the sender asked for none (enhanced mode NE/NE, careloop.hl7.accept-acks=strict)
 * @param journalId  the journal entry holding the message (new or the earlier copy of a duplicate), else null
 * @param rejectedId the rejected-table row holding it after AE/AR, else null
 * @param outcome    what happened, for operators: "stored", "duplicate", or the reason it was refused
 */
public record IntakeReply(AckCode code, String ack, Long journalId, Long rejectedId, String outcome) {

    public byte[] ackBytes() {
        return ack == null ? null : ack.getBytes(StandardCharsets.ISO_8859_1);
    }
}
