package org.careloop.hl7.processing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.careloop.event.CareEventStore;
import org.careloop.hl7.extract.CareEventExtractor;
import org.careloop.hl7.extract.ExtractionException;
import org.careloop.hl7.journal.Hl7Journal;
import org.careloop.hl7.journal.JournalState;
import org.careloop.hl7.journal.StoredMessage;
import org.careloop.store.Database;
import org.careloop.store.EachAlone;
import org.careloop.store.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the journal: acknowledged-but-unprocessed messages become CareEvents, or are marked failed with the reason,
 * in arrival order, one transaction per batch (event rows and journal states commit together, so a crash leaves a
 * message either processed or still pending, never half done). An entry whose event the store refuses fails alone:
 * the batch is written again entry by entry, and that one is marked failed with the reason. Runs from the scheduler route; the first drains
 * after start-up are the crash recovery.
 *
 * <p>Parsing dominates the cost, so the drain is a two-stage pipeline: while this thread writes one batch, the
 * parser threads already extract (and serialize) the next. Batches are consecutive id ranges, so events are written
 * in arrival order. When the journal runs dry the cursor goes back to the start, so an entry an operator put back in
 * line (an id below the cursor) is found then.
 */
public final class JournalProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(JournalProcessor.class);
    /** The messages of one batch together; two batches are in memory at once (one parsed, one written). */
    private static final long BATCH_BYTES = 16L << 20;

    /** One entry's result: its serialized event, or why it could not become one. */
    private record Outcome(StoredMessage message, CareEventStore.Serialized event, String failure) {

        Hl7Journal.Outcome journalOutcome() {
            return event != null
                    ? new Hl7Journal.Outcome(message.journalId(), JournalState.PROCESSED, null)
                    : new Hl7Journal.Outcome(message.journalId(), JournalState.FAILED, failure);
        }
    }

    private final Database database;
    private final Hl7Journal journal;
    private final CareEventStore events;
    private final CareEventExtractor extractor;
    private final ExecutorService parsers;
    private final int batchSize;
    private final Clock clock;
    /** The batch being extracted while the previous one is written; touched only by the scheduler thread. */
    private List<Future<Outcome>> extracting = List.of();
    private long fetchedUpTo;

    public JournalProcessor(Database database, Hl7Journal journal, CareEventStore events,
            CareEventExtractor extractor, ExecutorService parsers, int batchSize, Clock clock) {
        this.database = database;
        this.journal = journal;
        this.events = events;
        this.extractor = extractor;
        this.parsers = parsers;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** One scheduler poll; reports whether there was work, so the greedy scheduler polls again at once. */
    @Override
    public void process(Exchange exchange) throws InterruptedException {
        boolean worked = false;
        try {
            worked = drainBatch() > 0;
        } catch (SQLException e) {
            LOG.warn("Could not process the journal, will retry: {}", StoreFailures.describe(e));
            extracting = List.of();
            fetchedUpTo = 0;
        }
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, worked);
    }

    /** Starts extracting the next batch, writes the one extracted before it; returns how many entries it touched. */
    public int drainBatch() throws SQLException, InterruptedException {
        try (Connection connection = database.dataSource().getConnection()) {
            List<StoredMessage> next = journal.pending(connection, fetchedUpTo, batchSize, BATCH_BYTES);
            List<Future<Outcome>> written = extracting;
            extracting = next.stream().map(message -> parsers.submit(() -> extract(message))).toList();
            fetchedUpTo = next.isEmpty() ? (written.isEmpty() ? 0 : fetchedUpTo) : next.get(next.size() - 1).journalId();
            if (written.isEmpty()) {
                connection.rollback();
                return next.size();
            }
            List<Outcome> outcomes = new ArrayList<>(results(written));
            Instant now = clock.instant();
            Savepoint beforeTheBatch = connection.setSavepoint();
            try {
                write(connection, outcomes, now);
            } catch (SQLException batchFailed) {
                if (StoreFailures.isTransient(batchFailed)) {
                    throw batchFailed;
                }
                // one entry's event does not fit the store: write each alone, so that it fails alone
                connection.rollback(beforeTheBatch);
                List<Outcome> alone = List.copyOf(outcomes);
                outcomes.clear();
                EachAlone.run(connection, alone, (c, outcome) -> {
                    write(c, List.of(outcome), now);
                    outcomes.add(outcome);
                }, (c, outcome, cause) -> {
                    Outcome failed = new Outcome(outcome.message(), null, EachAlone.reason(cause));
                    journal.mark(c, List.of(failed.journalOutcome()), now);
                    outcomes.add(failed);
                });
            }
            connection.commit();
            events.committed();
            outcomes.stream().filter(o -> o.event() == null).forEach(o -> LOG.warn(
                    "Journal entry {} ({}^{}) could not become an event: {}", o.message().journalId(),
                    o.message().messageType(), o.message().triggerEvent(), o.failure()));
            return written.size() + next.size();
        }
    }

    /** The entries' events and their journal states, in the caller's transaction. */
    private void write(Connection connection, List<Outcome> outcomes, Instant now) throws SQLException {
        events.insert(connection, outcomes.stream().filter(o -> o.event() != null).map(Outcome::event).toList(), now);
        journal.mark(connection, outcomes.stream().map(Outcome::journalOutcome).toList(), now);
    }

    private static List<Outcome> results(List<Future<Outcome>> futures) throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>(futures.size());
        for (Future<Outcome> future : futures) {
            try {
                outcomes.add(future.get());
            } catch (ExecutionException impossible) {
                throw new IllegalStateException("extract() catches every failure", impossible);
            }
        }
        return outcomes;
    }

    private Outcome extract(StoredMessage message) {
        try {
            return new Outcome(message, events.serialize(extractor.extract(message)), null);
        } catch (ExtractionException e) {
            return new Outcome(message, null, e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome(message, null, "internal error while reading the message: " + e.getClass().getName());
        }
    }
}
