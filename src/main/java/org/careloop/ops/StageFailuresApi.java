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
import org.careloop.fhir.writeback.WritebackJobs;
import org.careloop.hl7.journal.Hl7Journal;
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

    /** A stage's table: where its entries' state, reason and time are, and the state that puts one back in line. */
    private record Stage(String table, String idColumn, boolean numericId, String stateColumn, String reasonColumn,
            String timeColumn, String retryState) {

        String listSql() {
            return "SELECT " + idColumn + ", " + reasonColumn + ", " + timeColumn + " FROM " + table + " WHERE "
                    + stateColumn + " = 'FAILED' ORDER BY " + timeColumn + " DESC LIMIT ?";
        }

        String retrySql() {
            return "UPDATE " + table + " SET " + stateColumn + " = '" + retryState + "' WHERE " + idColumn
                    + " = ? AND " + stateColumn + " = 'FAILED'";
        }
    }

    /** One parked entry as operators read it. */
    public record Failure(String id, String reason, Instant at) {
    }

    private static final String JOURNAL = "journal";
    private static final String WRITEBACK = "writeback";
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
    private final Hl7Journal journal;
    private final Clock clock;

    public StageFailuresApi(DataSource dataSource, GroupCommitWriter writer, Hl7Journal journal, Clock clock) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.journal = journal;
        this.clock = clock;
    }

    private static Map<String, Stage> stages() {
        Map<String, Stage> stages = new LinkedHashMap<>();
        stages.put(JOURNAL, new Stage("hl7_journal", "id", true, "state", "state_reason", "processed_at",
                "RECEIVED"));
        stages.put("fhir-deliveries", new Stage("fhir_delivery", "id", true, "state", "state_reason", "processed_at",
                "NEW"));
        stages.put(WRITEBACK, new Stage("fhir_writeback", "id", true, "state", "last_error", "updated_at",
                "PENDING"));
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
            connection.rollback();
        }
        JsonResponses.ok(exchange, failures);
    }

    /** POST /api/failures/{stage}/{id}/retry: the FAILED entry goes back in line, to be processed again. */
    public void retry(Exchange exchange) throws Exception {
        String name = exchange.getMessage().getHeader("stage", "", String.class);
        if (name.equals(WRITEBACK)) { // the job's row says FAILED, and its queue takes it again
            long id = Requests.id(exchange);
            if (!StoreCalls.await(writer.submit(connection -> WritebackJobs.retry(connection, id, clock.instant())))) {
                throw new BadRequestException(409, "writeback entry " + id + " does not exist or is not FAILED");
            }
            JsonResponses.ok(exchange, Map.of("stage", name, "id", String.valueOf(id), "state", "PENDING"));
            return;
        }
        if (name.equals(JOURNAL)) { // the journal's state says FAILED, and its queue takes the entry again
            long id = Requests.id(exchange);
            if (!journal.requeue(id, clock.instant())) {
                throw new BadRequestException(409, "journal entry " + id + " does not exist or is not FAILED");
            }
            JsonResponses.ok(exchange, Map.of("stage", name, "id", String.valueOf(id), "state", "RECEIVED"));
            return;
        }
        if (QUEUED_STAGES.containsKey(name)) {
            long id = Requests.id(exchange);
            boolean retried = StoreCalls.await(writer.submit(connection -> WorkQueue.retry(connection,
                    QUEUED_STAGES.get(name), id, clock.instant())));
            if (!retried) {
                throw new BadRequestException(409, name + " entry " + id + " does not exist or is not FAILED");
            }
            JsonResponses.ok(exchange, Map.of("stage", name, "id", String.valueOf(id), "state", "READY"));
            return;
        }
        Stage stage = STAGES.get(name);
        if (stage == null) {
            throw new BadRequestException(404, "no stage '" + name + "'; the stages are " + STAGES.keySet() + " and "
                    + QUEUED_STAGES.keySet());
        }
        Object id = stage.numericId() ? (Object) Requests.id(exchange) : exchange.getMessage().getHeader("id",
                String.class);
        StoreCalls.changeOne(writer, id, stage.retrySql(), name + " entry " + id + " does not exist or is not FAILED");
        JsonResponses.ok(exchange, Map.of("stage", name, "id", String.valueOf(id), "state", stage.retryState()));
    }

    private static Instant at(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
