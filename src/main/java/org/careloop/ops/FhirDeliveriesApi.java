package org.careloop.ops;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.careloop.fhir.subscription.FhirDeliveries;
import org.careloop.queue.QueueComponent;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;

/**
 * What operators see of FHIR subscription deliveries through {@code /api/fhir/deliveries}: which ones failed and why,
 * which wait for the FHIR server, and a retry once the cause is fixed. Bodies are not listed (they hold patient data).
 */
public final class FhirDeliveriesApi {

    private static final Set<String> STATES = Set.of("NEW", "PROCESSED", "FAILED");

    public record DeliveryView(long id, String subscription, String kind, String resourceType, String resourceId,
            String versionId, Instant receivedAt, String state, int attempts, Instant nextAttemptAt,
            String stateReason, Instant processedAt) {
    }

    private final DataSource dataSource;
    private final GroupCommitWriter writer;
    private final QueueComponent queues;
    private final Clock clock;

    public FhirDeliveriesApi(DataSource dataSource, GroupCommitWriter writer, QueueComponent queues, Clock clock) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.queues = queues;
        this.clock = clock;
    }

    /** GET /api/fhir/deliveries?state=FAILED&amp;limit=100, newest first. */
    public void list(Exchange exchange) throws SQLException {
        String state = Requests.state(exchange, "FAILED", STATES);
        JsonResponses.ok(exchange, Reads.list(dataSource, "SELECT id, subscription, kind, resource_type, resource_id, "
                + "version_id, received_at, state, attempts, next_attempt_at, state_reason, processed_at FROM "
                + "fhir_delivery WHERE state = ? ORDER BY id DESC LIMIT ?", row -> new DeliveryView(row.getLong(1),
                row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getString(6),
                row.getTimestamp(7).toInstant(), row.getString(8), row.getInt(9), row.getTimestamp(10).toInstant(),
                row.getString(11), row.getTimestamp(12) == null ? null : row.getTimestamp(12).toInstant()), state,
                Requests.limit(exchange)));
    }

    /** POST /api/fhir/deliveries/{id}/retry: a FAILED delivery, or one waiting for the server, is worked again now. */
    public void retry(Exchange exchange) {
        long id = Requests.id(exchange);
        Instant now = clock.instant();
        if (!StoreCalls.await(writer.submit(connection -> FhirDeliveries.retry(connection, id, now)))) {
            throw new BadRequestException(409, "FHIR delivery " + id + " does not exist or is not NEW or FAILED");
        }
        queues.signal(FhirDeliveries.QUEUE);
        JsonResponses.ok(exchange, Map.of("id", id, "state", "NEW"));
    }
}
