package org.careloop.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.careloop.event.CareEventStore;
import org.careloop.fhir.subscription.FhirDeliveries;
import org.careloop.fhir.writeback.WritebackJobs;
import org.careloop.hl7.journal.Hl7Journal;
import org.careloop.queue.QueueComponent;
import org.careloop.queue.WorkQueue;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.whatsapp.webhook.WebhookInbox;
import org.careloop.whatsapp.webhook.WebhookProcessor;

/**
 * The entries each stage parked FAILED, with why, in one place, and the way to put one back in line once its cause is
 * fixed. Every stage parks an entry it cannot process instead of retrying its batch: in its own table, or, for a
 * stage that takes its work from a careloop-queue, in the queue (the id is the queue entry's).
 */
public final class StageFailuresApi {

    /** How a stage puts a FAILED entry back in line, in the caller's transaction; false when there is none. */
    @FunctionalInterface
    private interface Retry {
        boolean apply(Connection connection, long id, Instant now) throws SQLException;
    }

    /**
     * A stage whose entries' state is in a table of its own (by id, in its {@code state} column): where the reason
     * and time are, how one is put back in line and the state it then has, and the queue that works it, if any.
     */
    private record Stage(String table, String reasonColumn, String timeColumn, Retry retry, String retriedState,
            String queue) {

        String listSql() {
            return "SELECT id, " + reasonColumn + ", " + timeColumn + " FROM " + table + " WHERE state = 'FAILED' "
                    + "ORDER BY " + timeColumn + " DESC LIMIT ?";
        }
    }

    /** One parked entry as operators read it. */
    public record Failure(String id, String reason, Instant at) {
    }

    private static final Map<String, Stage> STAGES = stages();
    /** The stages that take their work from a careloop-queue, and their queues. */
    private static final Map<String, String> QUEUED_STAGES = new LinkedHashMap<>();

    static {
        // in the order work flows through them, as the table stages are listed
        QUEUED_STAGES.put("planning", CareEventStore.QUEUE);
        QUEUED_STAGES.put("webhooks", WebhookInbox.QUEUE);
        QUEUED_STAGES.put("replies", WebhookProcessor.REPLIES_QUEUE);
    }

    private final DataSource dataSource;
    private final GroupCommitWriter writer;
    private final QueueComponent queues;
    private final Clock clock;

    public StageFailuresApi(DataSource dataSource, GroupCommitWriter writer, QueueComponent queues, Clock clock) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.queues = queues;
        this.clock = clock;
    }

    private static Map<String, Stage> stages() {
        Map<String, Stage> stages = new LinkedHashMap<>();
        stages.put("journal", new Stage("hl7_journal", "state_reason", "processed_at", Hl7Journal::requeue,
                "RECEIVED", Hl7Journal.QUEUE));
        stages.put("fhir-deliveries", new Stage("fhir_delivery", "state_reason", "processed_at",
                FhirDeliveries::retry, "NEW", FhirDeliveries.QUEUE));
        stages.put("writeback", new Stage("fhir_writeback", "last_error", "updated_at", WritebackJobs::retry,
                "PENDING", WritebackJobs.QUEUE));
        return stages;
    }

    /** GET /api/failures?limit=100: per stage, its FAILED entries, newest first. */
    public void list(Exchange exchange) throws SQLException {
        int limit = Requests.limit(exchange);
        Map<String, List<Failure>> failures = new LinkedHashMap<>();
        for (Map.Entry<String, Stage> stage : STAGES.entrySet()) {
            failures.put(stage.getKey(), Reads.list(dataSource, stage.getValue().listSql(), row -> new Failure(
                    row.getString(1), row.getString(2), at(row.getTimestamp(3))), limit));
        }
        try (Connection connection = dataSource.getConnection()) {
            for (Map.Entry<String, String> stage : QUEUED_STAGES.entrySet()) {
                failures.put(stage.getKey(), WorkQueue.parked(connection, stage.getValue(), limit).stream()
                        .map(p -> new Failure(String.valueOf(p.id()), p.reason(), p.since())).toList());
            }
            Reads.end(connection);
        }
        JsonResponses.ok(exchange, failures);
    }

    /** POST /api/failures/{stage}/{id}/retry: the FAILED entry goes back in line, to be processed again. */
    public void retry(Exchange exchange) {
        String name = exchange.getMessage().getHeader("stage", "", String.class);
        Stage stage = STAGES.get(name);
        String queue = stage != null ? stage.queue() : QUEUED_STAGES.get(name);
        if (stage == null && queue == null) {
            throw new BadRequestException(404, "no stage '" + name + "'; the stages are " + STAGES.keySet() + " and "
                    + QUEUED_STAGES.keySet());
        }
        long id = Requests.id(exchange);
        Instant now = clock.instant();
        boolean retried = StoreCalls.await(writer.submit(connection -> stage != null
                ? stage.retry().apply(connection, id, now) : WorkQueue.retry(connection, queue, id, now)));
        if (!retried) {
            throw new BadRequestException(409, name + " entry " + id + " does not exist or is not FAILED");
        }
        if (queue != null) {
            queues.signal(queue);
        }
        JsonResponses.ok(exchange, Map.of("stage", name, "id", String.valueOf(id), "state",
                stage != null ? stage.retriedState() : "READY"));
    }

    private static Instant at(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
