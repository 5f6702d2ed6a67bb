package org.careloop.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.store.EachAlone;
import org.careloop.store.Reads;
import org.careloop.store.StoreFailures;
import org.careloop.store.Writes;

/**
 * The durable work queue, over the store's {@code work_queue} table, in the caller's transaction. An entry is added
 * with the work that made it and removed with the work it led to, so a hand-off between stages happens exactly once
 * within the store; an engine that dies mid-batch leaves every entry of that batch in line (its transaction never
 * committed). Entries are handed on oldest first; the entries sharing an order key are handled one at a time, in
 * order, and one that waits for a retry holds back the ones behind it until it is handled or parked
 * (work_queue_held). A failed entry is tried again alone, with backoff, then parked FAILED with its reason; an
 * entry whose data the store refuses is parked at once (trying again cannot help).
 */
public final class WorkQueue {

    /** One entry, as handed to its queue's route. */
    public record Entry(long id, String queue, String orderKey, String body, int attempts) {
    }

    /** An entry parked FAILED, as operators read it. */
    public record Parked(long id, String orderKey, String reason, Instant since) {
    }

    /** A queue's numbers: entries in line, the age of the oldest, entries parked. */
    public record Depth(String queue, long ready, Instant oldest, long failed) {
    }

    /**
     * Due entries in id order, but none behind an entry of its key that waits for a later time (work_queue_held);
     * ordered as the ready index is, so that H2 reads it in order and stops at the limit (ORDER BY id alone made it
     * sort the backlog).
     */
    private static final String DUE = "SELECT id, queue, order_key, body, attempts FROM work_queue q "
            + "WHERE queue = ? AND state = 'READY' AND id > ? AND next_attempt_at <= ? AND (order_key IS NULL OR NOT EXISTS "
            + "(SELECT 1 FROM work_queue_held h WHERE h.queue = q.queue AND h.order_key = q.order_key "
            + "AND h.until_at > ? AND h.entry_id < q.id)) ORDER BY queue, state, id LIMIT ?";
    private static final String HOLD = "MERGE INTO work_queue_held (entry_id, queue, order_key, until_at) "
            + "KEY (entry_id) VALUES (?, ?, ?, ?)";

    private WorkQueue() {
    }

    /** Adds an entry, in the caller's transaction. */
    public static void enqueue(Connection connection, String queue, String orderKey, String body, Instant now)
            throws SQLException {
        enqueueAll(connection, queue, List.<String[]>of(new String[] {orderKey, body}), now);
    }

    /**
     * A record's entry goes back in line now, when an operator puts the record back: an entry parked for it (same
     * body) gives way to the new one. In the caller's transaction.
     */
    public static void putBack(Connection connection, String queue, String orderKey, String body, Instant now)
            throws SQLException {
        Writes.update(connection, "DELETE FROM work_queue WHERE queue = ? AND body = ? AND state = 'FAILED'", queue,
                body);
        enqueue(connection, queue, orderKey, body, now);
    }

    /**
     * Adds an entry handed on no sooner than {@code due} (a retry of the caller's own), in its transaction; until
     * then it holds back the entries of its key behind it.
     */
    public static void enqueueAt(Connection connection, String queue, String orderKey, String body, Instant now,
            Instant due) throws SQLException {
        long id = Writes.insert(connection, "INSERT INTO work_queue (queue, order_key, body, state, attempts, "
                + "next_attempt_at, created_at) VALUES (?, ?, ?, 'READY', 0, ?, ?)", queue, orderKey, body,
                Timestamp.from(due), Timestamp.from(now));
        if (orderKey != null && due.isAfter(now)) {
            Writes.update(connection, HOLD, id, queue, orderKey, Timestamp.from(due));
        }
    }

    /** Adds entries (order key, body), in the caller's transaction, in one batch. */
    public static void enqueueAll(Connection connection, String queue, List<String[]> keysAndBodies, Instant now)
            throws SQLException {
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO work_queue (queue, order_key, body, "
                + "state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'READY', 0, ?, ?)")) {
            for (String[] entry : keysAndBodies) {
                insert.setString(1, queue);
                insert.setString(2, entry[0]);
                insert.setString(3, entry[1]);
                insert.setTimestamp(4, at);
                insert.setTimestamp(5, at);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The entries to hand on now, in order, after {@code afterId} (0: from the start), at most {@code limit}. Several
     * may share a key: the caller hands them on in this order and, when one fails, holds back the rest of its key
     * (they wait behind its retry).
     */
    public static List<Entry> due(Connection connection, String queue, long afterId, int limit, Instant now)
            throws SQLException {
        Timestamp at = Timestamp.from(now);
        return Reads.list(connection, DUE, row -> new Entry(row.getLong(1), row.getString(2), row.getString(3),
                row.getString(4), row.getInt(5)), queue, afterId, at, at, limit);
    }

    /**
     * The entries' work is done: they leave the queue with the work they led to, in one batch. The rows that held
     * back a key until a time now past go too (an entry is handed on only once its time has come).
     */
    public static void complete(Connection connection, List<Entry> entries, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM work_queue WHERE id = ?")) {
            for (Entry entry : entries) {
                delete.setLong(1, entry.id());
                delete.addBatch();
            }
            delete.executeBatch();
        }
        Writes.update(connection, "DELETE FROM work_queue_held WHERE until_at <= ?", Timestamp.from(now));
    }

    /**
     * The entry's work failed (and was rolled back): it is tried again after the policy's backoff, or parked FAILED
     * once its attempts are spent or when the store refused its data. Returns whether it was parked.
     */
    public static boolean failed(Connection connection, Entry entry, Exception cause, RetryPolicy policy,
            Instant now) throws SQLException {
        int attempts = entry.attempts() + 1;
        boolean park = policy.exhausted(attempts) || StoreFailures.isDataError(cause);
        Instant next = park ? now : policy.next(now, attempts);
        Writes.update(connection, "UPDATE work_queue SET attempts = ?, state = ?, next_attempt_at = ?, last_error = ? "
                + "WHERE id = ?", attempts, park ? "FAILED" : "READY", Timestamp.from(next), EachAlone.reason(cause),
                entry.id());
        if (park) {
            Writes.update(connection, "DELETE FROM work_queue_held WHERE entry_id = ?", entry.id());
        } else if (entry.orderKey() != null) {
            Writes.update(connection, HOLD, entry.id(), entry.queue(), entry.orderKey(), Timestamp.from(next));
        }
        return park;
    }

    /** The queue's parked entries, newest first. */
    public static List<Parked> parked(Connection connection, String queue, int limit) throws SQLException {
        return Reads.list(connection, "SELECT id, order_key, last_error, next_attempt_at FROM work_queue WHERE "
                + "queue = ? AND state = 'FAILED' ORDER BY id DESC LIMIT ?", row -> new Parked(row.getLong(1),
                row.getString(2), row.getString(3), row.getTimestamp(4).toInstant()), queue, limit);
    }

    /** A parked entry goes back in line, now, with its attempts counted afresh. Returns whether there was one. */
    public static boolean retry(Connection connection, String queue, long id, Instant now) throws SQLException {
        return Writes.update(connection, "UPDATE work_queue SET state = 'READY', attempts = 0, next_attempt_at = ? "
                + "WHERE id = ? AND queue = ? AND state = 'FAILED'", Timestamp.from(now), id, queue) == 1;
    }

    public static Depth depth(Connection connection, String queue) throws SQLException {
        long ready = count(connection, queue, "READY");
        Optional<Instant> oldest = Reads.first(connection, "SELECT created_at FROM work_queue WHERE queue = ? "
                + "AND state = 'READY' ORDER BY id LIMIT 1", row -> row.getTimestamp(1).toInstant(), queue);
        return new Depth(queue, ready, oldest.orElse(null), count(connection, queue, "FAILED"));
    }

    private static long count(Connection connection, String queue, String state) throws SQLException {
        return Reads.first(connection, "SELECT COUNT(*) FROM work_queue WHERE queue = ? AND state = ?",
                row -> row.getLong(1), queue, state).orElse(0L);
    }
}
