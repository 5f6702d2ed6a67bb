package org.careloop.hl7.processing;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.careloop.event.CareEvent;
import org.careloop.hl7.extract.CareEventExtractor;
import org.careloop.hl7.journal.Hl7Journal;
import org.careloop.hl7.journal.JournalState;
import org.careloop.hl7.journal.StoredMessage;
import org.careloop.queue.QueueHeaders;
import org.careloop.queue.QueueTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the journal's stage (routes/hl7-processing.yaml): a stored message, named by its journal id, becomes a
 * CareEvent (which careEventStore then stores and hands on to planning). The journal says how it ended (PROCESSED, or FAILED with
 * the reason, which an operator can reprocess), in the transaction that completes the queue entry.
 */
public final class Hl7ToCareEvent {

    /** The journal id of the message the exchange's event is made from. */
    public static final String JOURNAL_ID = "CareLoopJournalId";

    private static final Logger LOG = LoggerFactory.getLogger(Hl7ToCareEvent.class);

    private final Hl7Journal journal;
    private final CareEventExtractor extractor;
    private final Clock clock;

    public Hl7ToCareEvent(Hl7Journal journal, CareEventExtractor extractor, Clock clock) {
        this.journal = journal;
        this.extractor = extractor;
        this.clock = clock;
    }

    /**
     * The stored message the entry names, read into a CareEvent (an ExtractionException says why it cannot be one);
     * the journal will say PROCESSED.
     */
    public CareEvent extract(Exchange exchange) throws SQLException {
        long journalId = Long.parseLong(exchange.getIn().getBody(String.class));
        exchange.getIn().setHeader(JOURNAL_ID, journalId);
        StoredMessage message = journal.load(journalId).orElseThrow(() -> new IllegalStateException(
                "journal entry " + journalId + " is not in the store"));
        CareEvent event = extractor.extract(message);
        mark(exchange, journalId, JournalState.PROCESSED, null);
        return event;
    }

    /** The message cannot become an event (the caught ExtractionException says why): FAILED. */
    public void unreadable(Exchange exchange) throws SQLException {
        long journalId = exchange.getIn().getHeader(JOURNAL_ID, Long.class);
        String reason = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage();
        mark(exchange, journalId, JournalState.FAILED, reason);
        LOG.warn("Journal entry {} could not become an event: {}", journalId, reason);
    }

    /** The entry was parked FAILED by its queue (the store refused the event, or every attempt failed). */
    public void parked(Exchange exchange) throws SQLException {
        mark(exchange, Long.parseLong(exchange.getIn().getBody(String.class)), JournalState.FAILED,
                exchange.getIn().getHeader(QueueHeaders.FAILURE, String.class));
    }

    private void mark(Exchange exchange, long journalId, JournalState state, String reason) throws SQLException {
        Instant now = clock.instant();
        QueueTransaction.write(exchange, connection -> journal.mark(connection,
                List.of(new Hl7Journal.Outcome(journalId, state, reason)), now));
    }
}
