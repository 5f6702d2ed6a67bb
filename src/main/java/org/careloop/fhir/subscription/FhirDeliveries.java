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
import org.careloop.queue.WorkQueue;
import org.careloop.store.ContentHash;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Upsert;
import org.careloop.store.Writes;

/**
 * The store of FHIR subscription deliveries: written through the group commit writer before the answer, deduplicated
 * there (the same resource version, or the same notification bytes, is stored once; a search already waiting is not
 * queued twice), and put in line on {@value #QUEUE} in the same transaction, a subscription's deliveries in order,
 * for {@link FhirDeliveryToCareEvents}. The delivery's row keeps what operators read (state, attempts, why).
 */
public final class FhirDeliveries {

    /** The queue stored deliveries are turned into CareEvents from (by id), keyed by their subscription. */
    public static final String QUEUE = "fhir-deliveries";

    private static final Upsert SEEN = Upsert.into("fhir_resource_seen", "resource_type, resource_id",
            "resource_type, resource_id, version_id, last_updated, status, start_at");
    private static final Upsert STATE = Upsert.into("fhir_subscription_state", "subscription", "subscription");

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
    private final Runnable queued;

    /** @param queued wakes the deliveries' queue once a new delivery is committed */
    public FhirDeliveries(GroupCommitWriter writer, DataSource dataSource, Runnable queued) {
        this.writer = writer;
        this.dataSource = dataSource;
        this.queued = queued;
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
        return writer.submit(connection -> {
            Optional<Long> id = Writes.insertIfAbsent(connection, sql, parameters.toArray());
            if (id.isPresent()) {
                WorkQueue.enqueue(connection, QUEUE, subscription, String.valueOf(id.get()), receivedAt);
            }
            return id.isPresent();
        }).thenApply(isNew -> {
            if (isNew) {
                queued.run();
            }
            return isNew;
        });
    }

    /** The delivery a queue entry names, if it still waits and is due (one done since, or not yet due, is not). */
    Optional<Delivery> pending(long id, Instant now) throws SQLException {
        return Reads.first(dataSource, "SELECT id, subscription, kind, resource_type, resource_id, version_id, body, "
                + "received_at, attempts FROM fhir_delivery WHERE id = ? AND state = 'NEW' AND next_attempt_at <= ?",
                row -> new Delivery(row.getLong(1), row.getString(2), Kind.valueOf(row.getString(3)),
                row.getString(4), row.getString(5), row.getString(6), row.getString(7),
                row.getTimestamp(8).toInstant(), row.getInt(9)), id, Timestamp.from(now));
    }

    /**
     * A waiting or FAILED delivery is worked again now (an operator's decision), in the caller's transaction; false
     * when there is none.
     */
    public static boolean retry(Connection connection, long id, Instant now) throws SQLException {
        Optional<String> subscription = Reads.first(connection, "SELECT subscription FROM fhir_delivery WHERE id = ? "
                + "AND state IN ('NEW', 'FAILED')", row -> row.getString(1), id);
        if (subscription.isEmpty()) {
            return false;
        }
        Writes.update(connection, "UPDATE fhir_delivery SET state = 'NEW', next_attempt_at = ? WHERE id = ?",
                Timestamp.from(now), id);
        WorkQueue.putBack(connection, QUEUE, subscription.get(), String.valueOf(id), now);
        return true;
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
        Writes.upsert(connection, SEEN, type, id,
                seen.versionId(), timestamp(seen.lastUpdated()), seen.status(), timestamp(seen.start()));
    }

    /**
     * Records what a notification said of the subscription; values left null keep what was there, and the event
     * number and search start only move forward (a delivery gathered from a state read before the one ahead of it
     * committed cannot take them back).
     */
    static void updateState(Connection connection, String subscription, Long lastEventNumber, Instant searchFrom,
            String notificationType, Instant heartbeatAt) throws SQLException {
        Writes.upsert(connection, STATE, subscription);
        // COALESCE on both sides: H2's GREATEST is NULL when any argument is (PostgreSQL's skips NULLs)
        Writes.update(connection, "UPDATE fhir_subscription_state SET last_event_number = GREATEST(COALESCE(?, "
                + "last_event_number), COALESCE(last_event_number, ?)), search_from = GREATEST(COALESCE(?, "
                + "search_from), COALESCE(search_from, ?)), last_notification = COALESCE(?, last_notification), "
                + "last_heartbeat_at = COALESCE(?, last_heartbeat_at) WHERE subscription = ?", lastEventNumber,
                lastEventNumber, timestamp(searchFrom), timestamp(searchFrom), notificationType, timestamp(heartbeatAt),
                subscription);
    }

    /** Whether the delivery still waits, as the caller's transaction sees it. */
    static boolean waiting(Connection connection, long id) throws SQLException {
        return Reads.first(connection, "SELECT 1 FROM fhir_delivery WHERE id = ? AND state = 'NEW'", row -> true, id)
                .isPresent();
    }

    /** The waiting delivery is done: PROCESSED or FAILED, with what it made or why. */
    static void finish(Connection connection, long id, String state, String reason, Instant at) throws SQLException {
        Writes.update(connection, "UPDATE fhir_delivery SET state = ?, state_reason = ?, processed_at = ?, attempts = "
                + "attempts + 1 WHERE id = ? AND state = 'NEW'", state, reason, Timestamp.from(at), id);
    }

    /** The delivery waits for the FHIR server: in line again for {@code next}, its attempt and why recorded. */
    static void later(Connection connection, Delivery delivery, String reason, Instant next, Instant now)
            throws SQLException {
        if (Writes.update(connection, "UPDATE fhir_delivery SET attempts = attempts + 1, state_reason = ?, "
                + "next_attempt_at = ? WHERE id = ? AND state = 'NEW'", reason, Timestamp.from(next),
                delivery.id()) == 1) {
            WorkQueue.enqueueAt(connection, QUEUE, delivery.subscription(), String.valueOf(delivery.id()), now, next);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
