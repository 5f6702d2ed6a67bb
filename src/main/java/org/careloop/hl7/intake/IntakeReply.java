package org.careloop.hl7.intake;

import java.nio.charset.Charset;

/**
 * The answer to one inbound message.
 *
 * @param ack        the ACK message, to be sent in {@code charset}
 * @param journalId  the journal entry holding the message (new or the earlier copy of a duplicate), else null
 * @param rejectedId the rejected-table row holding it after AE/AR, else null
 * @param outcome    what happened, for operators: "stored", "duplicate", or the reason it was refused
 */
public record IntakeReply(AckCode code, String ack, Charset charset, Long journalId, Long rejectedId,
        String outcome) {

    public byte[] ackBytes() {
        return ack.getBytes(charset);
    }
}
