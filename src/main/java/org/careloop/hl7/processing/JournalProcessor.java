package org.careloop.hl7.processing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.careloop.event.CareEvent;
import org.careloop.event.CareEventStore;
import org.careloop.hl7.extract.CareEventExtractor;
import org.careloop.hl7.extract.ExtractionException;
import org.careloop.hl7.journal.Hl7Journal;
import org.careloop.hl7.journal.JournalState;
import org.careloop.hl7.journal.StoredMessage;
import org.careloop.store.Database;
import org.careloop.store.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the journal: the oldest acknowledged-but-unprocessed messages become CareEvents, or are marked failed with
 * the reason, in arrival order and in one transaction per batch (event rows and journal states commit together, so a
 * crash leaves a message either processed or still pending, never half done). Runs from the scheduler route;
 * the first drain after start-up is the crash recovery.
 *
 * <p>Parsing dominates the cost, so a batch is parsed on several threads; results are written in arrival order.
 */
public final class JournalProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(JournalProcessor.class);

    private record Outcome(StoredMessage message, CareEvent event, String failure) {
    }

    private final Database database;
    private final Hl7Journal journal;
    private final CareEventStore events;
    private final CareEventExtractor extractor;
    private final ExecutorService parsers;
    private final int batchSize;
    private final Clock clock;

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
        int drained = 0;
        try {
            drained = drainBatch();
        } catch (SQLException e) {
            LOG.warn("Could not process the journal, will retry: {}", StoreFailures.describe(e));
        }
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, drained > 0);
    }

    /** Processes up to one batch of pending entries; returns how many. */
    public int drainBatch() throws SQLException, InterruptedException {
        try (Connection connection = database.dataSource().getConnection()) {
            List<StoredMessage> batch = journal.pending(connection, batchSize);
            if (batch.isEmpty()) {
                connection.rollback();
                return 0;
            }
            List<Outcome> outcomes = extractAll(batch);
            Instant now = clock.instant();
            for (Outcome outcome : outcomes) {
                long id = outcome.message().journalId();
                if (outcome.event() != null) {
                    events.insert(connection, outcome.event(), now);
                    journal.mark(connection, id, JournalState.PROCESSED, null, now);
                } else {
                    journal.mark(connection, id, JournalState.FAILED, outcome.failure(), now);
                }
            }
            connection.commit();
            outcomes.stream().filter(o -> o.event() == null).forEach(o -> LOG.warn(
                    "Journal entry {} ({}^{}) could not become an event: {}", o.message().journalId(),
                    o.message().messageType(), o.message().triggerEvent(), o.failure()));
            return batch.size();
        }
    }

    private List<Outcome> extractAll(List<StoredMessage> batch) throws InterruptedException {
        if (batch.size() == 1) {
            return List.of(extract(batch.get(0)));
        }
        List<Callable<Outcome>> tasks = new ArrayList<>(batch.size());
        batch.forEach(message -> tasks.add(() -> extract(message)));
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Future<Outcome> future : parsers.invokeAll(tasks)) {
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
            return new Outcome(message, extractor.extract(message), null);
        } catch (ExtractionException e) {
            return new Outcome(message, null, e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome(message, null, "internal error while reading the message: " + e.getClass().getName());
        }
    }
}
