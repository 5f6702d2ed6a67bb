package org.careloop.hl7.intake;

import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpConstants;
import org.careloop.hl7.journal.AppendOutcome;
import org.careloop.hl7.journal.Hl7Journal;
import org.careloop.hl7.journal.JournalEntry;
import org.careloop.hl7.journal.JournalState;
import org.careloop.hl7.journal.RejectedMessage;
import org.careloop.hl7.journal.RejectedMessages;
import org.careloop.logging.SenderText;
import org.careloop.store.ContentHash;
import org.careloop.store.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLLP route's one step: screen the frame, store it durably, and only then set the ACK that camel-mllp sends.
 *
 * <p>Never throws: every path ends in an ACK. AA/CA only after the journal commit completed; AE/AR (with ERR) for
 * bad input, kept in the rejected table; AR when the store cannot be written. camel-mllp would otherwise answer AA
 * for a handled exception and never AR on its own, so the ACK bytes are always set here.
 */
public final class Hl7Intake implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(Hl7Intake.class);

    private final IntakeScreen screen;
    private final Hl7Journal journal;
    private final RejectedMessages rejected;
    private final AckWriter ackWriter;
    private final Charset defaultCharset;
    private final long commitTimeoutMillis;
    private final Clock clock;

    public Hl7Intake(IntakeScreen screen, Hl7Journal journal, RejectedMessages rejected, AckWriter ackWriter,
            Charset defaultCharset, long commitTimeoutMillis, Clock clock) {
        this.screen = screen;
        this.journal = journal;
        this.rejected = rejected;
        this.ackWriter = ackWriter;
        this.defaultCharset = defaultCharset;
        this.commitTimeoutMillis = commitTimeoutMillis;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] frame = exchange.getMessage().getBody(byte[].class);
        String remote = exchange.getMessage().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class);
        IntakeReply reply = receive(frame == null ? new byte[0] : frame, remote);
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, reply.ackBytes());
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, reply.code().name());
    }

    /** Screens, stores and acknowledges one message; also used to replay a rejected one. */
    public IntakeReply receive(byte[] raw, String remoteAddress) {
        Instant receivedAt = clock.instant();
        InboundMessage message = InboundMessage.decode(raw, defaultCharset);
        Verdict verdict = screen.screen(message);
        if (verdict instanceof Verdict.Refuse refuse) {
            return refuse(message, refuse, receivedAt, remoteAddress);
        }
        JournalEntry entry = new JournalEntry(receivedAt, message.header(), ContentHash.of(raw),
                message.charset().name(), remoteAddress, raw,
                verdict instanceof Verdict.Ignore ? JournalState.IGNORED : JournalState.RECEIVED,
                verdict instanceof Verdict.Ignore ignore ? ignore.reason() : null);
        AppendOutcome outcome;
        try {
            outcome = journal.append(entry).get(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException storeFailure) {
            if (StoreFailures.isDataError(storeFailure)) {
                // the store refuses this message's data: sending it again as it is would be refused again
                return refuse(message, Verdict.Refuse.of(AckCode.AE, new Hl7Error(Hl7Error.INTERNAL_ERROR, "", 0,
                        "the message could not be stored (" + StoreFailures.describe(storeFailure) + "); it was not "
                                + "accepted, and sending it again unchanged will not help")), receivedAt, remoteAddress);
            }
            return storeUnavailable(message, storeFailure, receivedAt, remoteAddress);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return storeUnavailable(message, interrupted, receivedAt, remoteAddress);
        }
        if (outcome instanceof AppendOutcome.Stored stored) {
            return accepted(message, stored.journalId(), "stored");
        }
        if (outcome instanceof AppendOutcome.Duplicate duplicate) {
            return accepted(message, duplicate.journalId(), "duplicate");
        }
        return refused(message, AckCode.AE, List.of(Hl7Journal.controlIdReusedError()),
                ((AppendOutcome.ControlIdReused) outcome).rejectedId());
    }

    /** The safety net for a failure outside {@link #receive}: the sender gets AR and may resend. */
    public void rejectAfterFailure(Exchange exchange) {
        byte[] frame = exchange.getMessage().getBody(byte[].class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        IntakeReply reply = storeUnavailable(InboundMessage.decode(frame == null ? new byte[0] : frame,
                defaultCharset), cause, clock.instant(),
                exchange.getMessage().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class));
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, reply.ackBytes());
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, reply.code().name());
    }

    private IntakeReply accepted(InboundMessage message, long journalId, String outcome) {
        MessageHeader header = message.header();
        LOG.debug("{} {} from {}: {} as journal entry {}", SenderText.of(header.typeName()),
                SenderText.of(header.controlId()), SenderText.of(header.sendingApplication()), outcome, journalId);
        return new IntakeReply(AckCode.AA, ack(message, AckCode.AA, List.of()),
                journalId, null, outcome);
    }

    private IntakeReply refuse(InboundMessage message, Verdict.Refuse refuse, Instant receivedAt, String remote) {
        MessageHeader header = message.header();
        Hl7Error first = refuse.errors().get(0);
        RejectedMessage row = new RejectedMessage(receivedAt, refuse.code().name(), first.code(), first.location(),
                refuse.reason(), header == null ? null : header.sendingApplication(),
                header == null ? null : header.sendingFacility(), header == null ? null : header.controlId(),
                header == null ? null : header.typeName(), message.charset().name(), remote, message.raw());
        Long rejectedId = null;
        try {
            rejectedId = rejected.record(row).get(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("Could not keep a rejected message in the rejected table: {}", StoreFailures.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return refused(message, refuse.code(), refuse.errors(), rejectedId);
    }

    private IntakeReply refused(InboundMessage message, AckCode code, List<Hl7Error> errors, Long rejectedId) {
        MessageHeader header = message.header();
        String reason = new Verdict.Refuse(code, errors).reason();
        LOG.info("{} {} {} from {}: {} (rejected message {})", code,
                SenderText.of(header == null ? null : header.typeName()),
                SenderText.of(header == null ? null : header.controlId()),
                SenderText.of(header == null ? null : header.sendingApplication()), SenderText.of(reason, 300),
                rejectedId);
        return new IntakeReply(code, ack(message, code, errors), null, rejectedId,
                reason);
    }

    /** The ACK for this outcome, or null when the sender asked for none. */
    private String ack(InboundMessage message, AckCode code, List<Hl7Error> errors) {
        return ackWriter.answers(message, code) ? ackWriter.write(message, code, errors) : null;
    }

    /** AR: the sender may send it again later. Kept in the rejected table too, if the store takes even that. */
    private IntakeReply storeUnavailable(InboundMessage message, Exception cause, Instant receivedAt, String remote) {
        LOG.error("Answering AR: the journal could not store {} {} ({})",
                SenderText.of(message.header() == null ? null : message.header().typeName()),
                SenderText.of(message.header() == null ? null : message.header().controlId()),
                StoreFailures.describe(cause));
        return refuse(message, Verdict.Refuse.of(AckCode.AR, new Hl7Error(Hl7Error.INTERNAL_ERROR, "", 0,
                "the message could not be stored; it was not accepted: please resend it later")), receivedAt, remote);
    }
}
