package org.careloop.fhir.subscription;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.careloop.store.ContentHash;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * The store of FHIR subscription deliveries: written through the group commit writer before the answer, deduplicated
 * there (the same resource version, or the same notification bytes, is stored once; a search already waiting is not
 * queued twice), and worked oldest first by {@link SubscriptionProcessor}.
 */
public final class FhirDeliveries {

    /** What a delivery is. */
    public enum Kind {
        /** A rest-hook PUT with the resource. */
        RESOURCE,
        /** A rest-hook DELETE. */
        DELETE,
        /** A rest-hook POST without a body: something changed, search for it. */
        PING,
        /** A topic-based notification Bundle. */
        BUNDLE,
        /** CareLoop's own periodic search for what the server did not deliver. */
        RECONCILE
    }

    /** A stored delivery. */
    public record Delivery(long id, String subscription, Kind kind, String resourceType, String resourceId,
            String versionId, String body, Instant receivedAt, int attempts) {
    }

    /** The last version of a resource turned into events. */
    public record Seen(String versionId, Instant lastUpdated, String status, Instant start) {
    }

    /** Per subscription: the last event number applied and where catch-up searches start. */
    public record State(Long lastEventNumber, Instant searchFrom) {
    }

    private final GroupCommitWriter writer;
    private final DataSource dataSource;

    public FhirDeliveries(GroupCommitWriter writer, DataSource dataSource) {
        this.writer = writer;
        this.dataSource = dataSource;
    }

    /** Stores a delivery unless it is already stored; true when it is new. */
    public CompletableFuture<Boolean> store(String subscription, Kind kind, String resourceType, String resourceId,
            String versionId, String body, Instant receivedAt) {
        byte[] sha256 = body == null || body.isEmpty() ? null : ContentHash.of(body.getBytes(StandardCharsets.UTF_8));
        List<Object> parameters = new ArrayList<>(List.of(subscription, kind.name()));
        parameters.addAll(Arrays.asList(resourceType, resourceId, versionId, sha256, body, Timestamp.from(receivedAt),
                Timestamp.from(receivedAt)));
        String duplicate;
        if (kind == Kind.PING || kind == Kind.RECONCILE) {
            // one waiting search finds it all
            duplicate = "EXISTS (SELECT 1 FROM fhir_delivery WHERE subscription = ? AND kind IN ('PING', 'RECONCILE') "
                    + "AND state = 'NEW')";
            parameters.add(subscription);
        } else {
            // two lookups, each on its unique index (an OR of the two would scan the table)
            duplicate = "EXISTS (SELECT 1 FROM fhir_delivery WHERE subscription = ? AND body_sha256 = ?) OR EXISTS "
                    + "(SELECT 1 FROM fhir_delivery WHERE subscription = ? AND resource_type = ? AND resource_id = ? "
                    + "AND version_id = ?)";
            parameters.addAll(Arrays.asList(subscription, sha256, subscription, resourceType, resourceId, versionId));
        }
        String sql = "INSERT INTO fhir_delivery (subscription, kind, resource_type, resource_id, version_id, "
                + "body_sha256, body, received_at, state, next_attempt_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, 'NEW', ? "
                + "WHERE NOT (" + duplicate + ")";
        return writer.submit(connection -> Writes.update(connection, sql, parameters.toArray()) == 1);
    }

    List<Delivery> due(Instant now, int limit) throws SQLException {
        return Reads.list(dataSource, "SELECT id, subscription, kind, resource_type, resource_id, version_id, body, "
                + "received_at, attempts FROM fhir_delivery WHERE state = 'NEW' AND next_attempt_at <= ? ORDER BY id "
                + "LIMIT ?", row -> new Delivery(row.getLong(1), row.getString(2), Kind.valueOf(row.getString(3)),
                row.getString(4), row.getString(5), row.getString(6), row.getString(7),
                row.getTimestamp(8).toInstant(), row.getInt(9)), Timestamp.from(now), limit);
    }

    State state(String subscription) throws SQLException {
        return Reads.first(dataSource, "SELECT last_event_number, search_from FROM fhir_subscription_state WHERE "
                + "subscription = ?", row -> new State(row.getObject(1) == null ? null : row.getLong(1),
                row.getTimestamp(2) == null ? null : row.getTimestamp(2).toInstant()), subscription)
                .orElse(new State(null, null));
    }

    static Optional<Seen> seen(Connection connection, String type, String id) throws SQLException {
        return Reads.first(connection, "SELECT version_id, last_updated, status, start_at FROM fhir_resource_seen "
                + "WHERE resource_type = ? AND resource_id = ?", row -> new Seen(row.getString(1),
                instant(row.getTimestamp(2)), row.getString(3), instant(row.getTimestamp(4))), type, id);
    }

    static void remember(Connection connection, String type, String id, Seen seen) throws SQLException {
        Writes.update(connection, "MERGE INTO fhir_resource_seen (resource_type, resource_id, version_id, "
                + "last_updated, status, start_at) KEY (resource_type, resource_id) VALUES (?, ?, ?, ?, ?, ?)", type, id,
                seen.versionId(), timestamp(seen.lastUpdated()), seen.status(), timestamp(seen.start()));
    }

    /** Records what a notification said of the subscription; values left null keep what was there. */
    static void updateState(Connection connection, String subscription, Long lastEventNumber, Instant searchFrom,
            String notificationType, Instant heartbeatAt) throws SQLException {
        Writes.update(connection, "MERGE INTO fhir_subscription_state (subscription) KEY (subscription) VALUES (?)",
                subscription);
        Writes.update(connection, "UPDATE fhir_subscription_state SET last_event_number = COALESCE(?, "
                + "last_event_number), search_from = COALESCE(?, search_from), last_notification = COALESCE(?, "
                + "last_notification), last_heartbeat_at = COALESCE(?, last_heartbeat_at) WHERE subscription = ?",
                lastEventNumber, timestamp(searchFrom), notificationType, timestamp(heartbeatAt), subscription);
    }

    static void finish(Connection connection, long id, String state, String reason, Instant at) throws SQLException {
        Writes.update(connection, "UPDATE fhir_delivery SET state = ?, state_reason = ?, processed_at = ?, attempts = "
                + "attempts + 1 WHERE id = ?", state, reason, Timestamp.from(at), id);
    }

    CompletableFuture<Integer> retryLater(long id, String reason, Instant next) {
        return writer.submit(connection -> Writes.update(connection, "UPDATE fhir_delivery SET attempts = attempts + 1, "
                + "state_reason = ?, next_attempt_at = ? WHERE id = ? AND state = 'NEW'", reason, Timestamp.from(next),
                id));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
