package org.careloop.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.careloop.store.EachAlone;
import org.careloop.store.Reads;
import org.careloop.store.StoreFailures;
import org.careloop.store.Upsert;
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
    /**
     * PostgreSQL, for a store shared by several instances: the due entries no instance holds, claimed for the
     * caller until the lease ends by the store's clock. Claims of one queue are taken one instance at a time (the
     * advisory lock, to the end of the claiming transaction), so that no instance takes a key's entry while another
     * holds an earlier one of that key; rows another transaction is finishing are skipped, not waited for. What
     * the claimant itself still holds is taken again (a batch whose transaction failed), never while in flight:
     * the consumer claims past its batches in flight or after they commit.
     */
    private static final String CLAIM = "UPDATE work_queue SET claimed_by = ?, claimed_until = CURRENT_TIMESTAMP "
            + "+ CAST(? AS INTEGER) * INTERVAL '1 millisecond' WHERE id IN (SELECT id FROM work_queue q "
            + "WHERE queue = ? AND state = 'READY' AND id > ? AND next_attempt_at <= ? "
            + "AND (claimed_until IS NULL OR claimed_until < CURRENT_TIMESTAMP OR claimed_by = ?) "
            + "AND (order_key IS NULL OR ("
            + "NOT EXISTS (SELECT 1 FROM work_queue_held h WHERE h.queue = q.queue AND h.order_key = q.order_key "
            + "AND h.until_at > ? AND h.entry_id < q.id) AND NOT EXISTS (SELECT 1 FROM work_queue c "
            + "WHERE c.queue = q.queue AND c.order_key = q.order_key AND c.id < q.id "
            + "AND c.claimed_until >= CURRENT_TIMESTAMP AND c.claimed_by <> ?))) ORDER BY id LIMIT ? "
            + "FOR UPDATE SKIP LOCKED) "
            + "RETURNING id, queue, order_key, body, attempts";
    private static final Upsert HOLD = Upsert.into("work_queue_held", "entry_id", "entry_id, queue, order_key, "
            + "until_at");

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
            Writes.upsert(connection, HOLD, id, queue, orderKey, Timestamp.from(due));
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
     * In a store shared by several instances, {@link #due} for the claimant alone: the entries are its own until
     * the lease ends, and the claim commits before their work starts (an instance that dies leaves them to be
     * claimed again when the lease is over). PostgreSQL only.
     */
    public static List<Entry> claim(Connection connection, String queue, long afterId, int limit, Instant now,
            String claimant, Duration lease) throws SQLException {
        Reads.first(connection, "SELECT pg_advisory_xact_lock(hashtext(?))", row -> true, "work_queue:" + queue);
        Timestamp at = Timestamp.from(now);
        List<Entry> claimed = new ArrayList<>(Reads.list(connection, CLAIM, row -> new Entry(row.getLong(1),
                row.getString(2), row.getString(3), row.getString(4), row.getInt(5)), claimant,
                (int) lease.toMillis(), queue, afterId, at, claimant, at, claimant, limit));
        claimed.sort(Comparator.comparingLong(Entry::id));
        return claimed;
    }

    /**
     * The entries' work is done: they leave the queue with the work they led to, in one batch. The rows that held
     * back a key until a time now past go too (an entry is handed on only once its time has come). With a
     * {@code claimant} (a shared store), an entry whose claim was lost to another instance (the lease ran out)
     * fails the whole transaction, so that none of the work done for it commits.
     */
    public static void complete(Connection connection, List<Entry> entries, Instant now, String claimant)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM work_queue WHERE id = ?"
                + (claimant == null ? "" : " AND claimed_by = ?"))) {
            for (Entry entry : entries) {
                delete.setLong(1, entry.id());
                if (claimant != null) {
                    delete.setString(2, claimant);
                }
                delete.addBatch();
            }
            for (int deleted : delete.executeBatch()) {
                if (deleted == 0) {
                    throw new SQLTransientException("a queue entry's claim ran out and another instance took it; "
                            + "this instance's work for it is rolled back", "40001");
                }
            }
        }
        Writes.update(connection, "DELETE FROM work_queue_held WHERE until_at <= ?", Timestamp.from(now));
    }

    /**
     * A shared store: the claimant lets go of the entries it claimed and neither completed nor failed (held back
     * behind an earlier entry of their key), so that they are taken again without waiting for the lease.
     */
    public static void release(Connection connection, List<Entry> claimed, String claimant) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("UPDATE work_queue SET claimed_by = NULL, "
                + "claimed_until = NULL WHERE id = ? AND claimed_by = ?")) {
            for (Entry entry : claimed) {
                release.setLong(1, entry.id());
                release.setString(2, claimant);
                release.addBatch();
            }
            release.executeBatch();
        }
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
        Writes.update(connection, "UPDATE work_queue SET attempts = ?, state = ?, next_attempt_at = ?, last_error = ?, "
                + "claimed_by = NULL, claimed_until = NULL WHERE id = ?", attempts, park ? "FAILED" : "READY",
                Timestamp.from(next), EachAlone.reason(cause),
                entry.id());
        if (park) {
            Writes.update(connection, "DELETE FROM work_queue_held WHERE entry_id = ?", entry.id());
        } else if (entry.orderKey() != null) {
            Writes.upsert(connection, HOLD, entry.id(), entry.queue(), entry.orderKey(), Timestamp.from(next));
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
