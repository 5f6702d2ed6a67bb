package org.careloop.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.careloop.queue.QueueTransaction;
import org.careloop.queue.WorkQueue;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;

/** The stored events, as JSON, keyed by patient and appointment for the steps that read them. */
public final class CareEventStore {

    /** An event with its row id. */
    public record StoredEvent(long id, CareEvent event) {
    }

    private static final String INSERT = "INSERT INTO care_event (journal_id, fhir_delivery_id, kind, patient_key, "
            + "appointment_key, created_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** The queue stored events are planned from, an appointment's (else a patient's) one at a time, in order. */
    public static final String QUEUE = "care-events";

    private static final long COMMIT_TIMEOUT_SECONDS = 30;

    private final DataSource dataSource;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final Runnable queued;
    private final ObjectMapper json = EventJson.mapper();

    /** @param queued wakes the events' queue: to be run by a caller of {@link #insert} once it has committed */
    public CareEventStore(DataSource dataSource, GroupCommitWriter writer, Clock clock, Runnable queued) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.clock = clock;
        this.queued = queued;
    }

    /**
     * A route's step: the exchange's CareEvent (or its JSON) stored and put in line for planning ({@link #QUEUE}).
     * On a route consuming a careloop-queue it commits with the entry being handled; elsewhere (a site's own route:
     * events from a file drop, another system's queue) in a transaction of its own, committed before it returns.
     */
    public void store(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getMandatoryBody();
        Serialized event = serialize(body instanceof String text ? json.readValue(text, CareEvent.class)
                : exchange.getIn().getMandatoryBody(CareEvent.class));
        Instant now = clock.instant();
        if (QueueTransaction.of(exchange).isPresent()) {
            QueueTransaction.write(exchange, connection -> insert(connection, List.of(event), now));
            QueueTransaction.signalOnCommit(exchange, QUEUE);
            return;
        }
        writer.submit(connection -> {
            insert(connection, List.of(event), now);
            return null;
        }).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        committed();
    }

    /** Wakes planning once events inserted by the caller are committed. */
    public void committed() {
        queued.run();
    }

    /** An event with its JSON form, made where there is CPU to spare (the parsing threads). */
    public record Serialized(CareEvent event, String json) {
    }

    public Serialized serialize(CareEvent event) {
        try {
            return new Serialized(event, json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a CareEvent could not be written as JSON", e);
        }
    }

    /** Adds the events inside the caller's transaction, in one batch, each handed on to planning ({@link #QUEUE}). */
    public void insert(Connection connection, List<Serialized> serialized, Instant createdAt) throws SQLException {
        if (serialized.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            for (Serialized s : serialized) {
                CareEvent event = s.event();
                // the stored message it was made from; an event a site's route made has none here
                String channel = event.source().channel();
                insert.setObject(1, Source.HL7V2.equals(channel) ? event.source().journalId() : null);
                insert.setObject(2, Source.FHIR.equals(channel) ? event.source().journalId() : null);
                insert.setString(3, event.kind().name());
                insert.setString(4, event.patient().key());
                insert.setString(5, event.appointment() == null ? null : event.appointment().key());
                insert.setTimestamp(6, Timestamp.from(createdAt));
                insert.setString(7, s.json());
                insert.addBatch();
            }
            insert.executeBatch();
            List<String[]> entries = new ArrayList<>(serialized.size());
            try (ResultSet ids = insert.getGeneratedKeys()) {
                for (Serialized s : serialized) {
                    ids.next();
                    CareEvent event = s.event();
                    entries.add(new String[] {event.appointment() != null ? "appointment:" + event.appointment().key()
                            : "patient:" + event.patient().key(), String.valueOf(ids.getLong(1))});
                }
            }
            WorkQueue.enqueueAll(connection, QUEUE, entries, createdAt);
        }
    }

    /** The event made from one journal entry, if any. */
    public List<StoredEvent> byJournalId(long journalId) throws SQLException {
        return Reads.list(dataSource, "SELECT id, payload FROM care_event WHERE journal_id = ?", this::stored,
                journalId);
    }

    /** The most recent events first, after {@code beforeId} when paging (0 for the first page). */
    public List<StoredEvent> latest(int limit, long beforeId) throws SQLException {
        return Reads.list(dataSource, "SELECT id, payload FROM care_event WHERE ? = 0 OR id < ? ORDER BY id DESC "
                + "LIMIT ?", this::stored, beforeId, beforeId, limit);
    }

    public long count() throws SQLException {
        return Reads.first(dataSource, "SELECT COUNT(*) FROM care_event", row -> row.getLong(1)).orElse(0L);
    }

    private StoredEvent stored(ResultSet row) throws SQLException {
        try {
            return new StoredEvent(row.getLong(1), json.readValue(row.getString(2), CareEvent.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored CareEvent could not be read back", e);
        }
    }
}
