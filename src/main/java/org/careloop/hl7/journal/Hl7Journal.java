package org.careloop.hl7.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.careloop.hl7.intake.Hl7Error;
import org.careloop.hl7.intake.MessageHeader;
import org.careloop.queue.WorkQueue;
import org.careloop.store.Columns;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * Appends received messages to the journal, deduplicated on (MSH-3, MSH-4, MSH-10, content), through the group
 * commit writer: the returned future completes only once the entry is durable, and only then may the ACK go out.
 */
public final class Hl7Journal {

    /** The queue of stored messages to be turned into CareEvents (by id), in arrival order. */
    public static final String QUEUE = "hl7-journal";
    private static final long COMMIT_TIMEOUT_SECONDS = 30;

    /** What to do when a control id comes back with different content. */
    public enum ControlIdReuse {
        /** Answer AE "duplicate control id" and keep the message in the rejected table. */
        REJECT,
        /** Accept it as a new message (for senders known to recycle control ids). */
        ACCEPT
    }

    private static final String FIND_BY_CONTROL_ID = "SELECT id, content_sha256 FROM hl7_journal "
            + "WHERE sending_application = ? AND sending_facility = ? AND control_id = ?";
    private static final String INSERT = "INSERT INTO hl7_journal (received_at, sending_application, "
            + "sending_facility, control_id, content_sha256, message_type, trigger_event, hl7_version, charset, "
            + "remote_address, state, state_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_BODY = "INSERT INTO hl7_message_body (journal_id, raw_message) VALUES (?, ?)";

    private static final String LOAD = "SELECT j.id, j.received_at, j.message_type, j.trigger_event, j.charset, "
            + "b.raw_message FROM hl7_journal j JOIN hl7_message_body b ON b.journal_id = j.id WHERE j.id = ?";
    private static final String MARK = "UPDATE hl7_journal SET state = ?, state_reason = ?, processed_at = ? "
            + "WHERE id = ?";
    private static final String SUMMARY = "SELECT id, received_at, sending_application, sending_facility, "
            + "control_id, message_type, trigger_event, hl7_version, state, state_reason, processed_at FROM hl7_journal";

    private final GroupCommitWriter writer;
    private final DataSource dataSource;
    private final RejectedMessages rejected;
    private final ControlIdReuse controlIdReuse;
    private final Runnable queued;

    /** @param queued wakes the journal's queue ({@link #QUEUE}), run once an entry put in line is committed */
    public Hl7Journal(GroupCommitWriter writer, DataSource dataSource, RejectedMessages rejected,
            ControlIdReuse controlIdReuse, Runnable queued) {
        this.writer = writer;
        this.dataSource = dataSource;
        this.rejected = rejected;
        this.controlIdReuse = controlIdReuse;
        this.queued = queued;
    }

    /** A stored message, as it was received (what is committed). */
    public Optional<StoredMessage> load(long journalId) throws SQLException {
        return Reads.first(dataSource, LOAD, row -> new StoredMessage(row.getLong(1), row.getTimestamp(2).toInstant(),
                row.getString(3), row.getString(4), row.getString(5), row.getBytes(6)), journalId);
    }

    /** How processing one entry ended: PROCESSED, or FAILED with the reason. */
    public record Outcome(long journalId, JournalState state, String reason) {
    }

    /** Records, in the caller's transaction and one batch, how processing the entries ended. */
    public void mark(Connection connection, List<Outcome> outcomes, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(MARK)) {
            for (Outcome outcome : outcomes) {
                update.setString(1, outcome.state().name());
                update.setString(2, Columns.reason(outcome.reason()));
                update.setTimestamp(3, Timestamp.from(at));
                update.setLong(4, outcome.journalId());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /**
     * Puts a failed or ignored entry back in line to be processed again (its parked queue entry, if any, gives way to
     * a new one); false if it is not in such a state.
     */
    public boolean requeue(long journalId, Instant now) throws Exception {
        boolean requeued = writer.submit(connection -> requeue(connection, journalId, now))
                .get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (requeued) {
            queued.run();
        }
        return requeued;
    }

    /** {@link #requeue(long, Instant)} in the caller's transaction; its caller wakes {@link #QUEUE} once committed. */
    public static boolean requeue(Connection connection, long journalId, Instant now) throws SQLException {
        if (Writes.update(connection, "UPDATE hl7_journal SET state = 'RECEIVED', state_reason = NULL, "
                + "processed_at = NULL WHERE id = ? AND state IN ('FAILED', 'IGNORED')", journalId) == 0) {
            return false;
        }
        WorkQueue.putBack(connection, QUEUE, null, String.valueOf(journalId), now);
        return true;
    }

    /** Entries in one state (null: in any), newest first; the summaries carry no message content. */
    public List<JournalSummary> list(JournalState state, int limit) throws SQLException {
        return state == null
                ? Reads.list(dataSource, SUMMARY + " ORDER BY id DESC LIMIT ?", Hl7Journal::summary, limit)
                : Reads.list(dataSource, SUMMARY + " WHERE state = ? ORDER BY id DESC LIMIT ?", Hl7Journal::summary,
                        state.name(), limit);
    }

    public Optional<JournalSummary> find(long journalId) throws SQLException {
        return Reads.first(dataSource, SUMMARY + " WHERE id = ?", Hl7Journal::summary, journalId);
    }

    /** How many entries are in each state. */
    public Map<JournalState, Long> countByState() throws SQLException {
        Map<JournalState, Long> counts = new EnumMap<>(JournalState.class);
        for (JournalState state : JournalState.values()) {
            counts.put(state, 0L);
        }
        Reads.list(dataSource, "SELECT state, COUNT(*) FROM hl7_journal GROUP BY state",
                row -> counts.put(JournalState.valueOf(row.getString(1)), row.getLong(2)));
        return counts;
    }

    private static JournalSummary summary(ResultSet rows) throws SQLException {
        Timestamp processedAt = rows.getTimestamp(11);
        return new JournalSummary(rows.getLong(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                rows.getString(4), rows.getString(5), rows.getString(6) + "^" + rows.getString(7), rows.getString(8),
                JournalState.valueOf(rows.getString(9)), rows.getString(10),
                processedAt == null ? null : processedAt.toInstant());
    }

    /** Stores the entry; one to be processed is put in line on {@link #QUEUE} in the same transaction. */
    public CompletableFuture<AppendOutcome> append(JournalEntry entry) {
        return writer.submit(connection -> append(connection, entry)).thenApply(outcome -> {
            if (outcome instanceof AppendOutcome.Stored && entry.state() == JournalState.RECEIVED) {
                queued.run();
            }
            return outcome;
        });
    }

    private AppendOutcome append(Connection connection, JournalEntry entry) throws SQLException {
        MessageHeader header = entry.header();
        boolean controlIdSeen = false;
        try (PreparedStatement find = connection.prepareStatement(FIND_BY_CONTROL_ID)) {
            find.setString(1, header.sendingApplication());
            find.setString(2, header.sendingFacility());
            find.setString(3, header.controlId());
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    if (Arrays.equals(rows.getBytes(2), entry.contentSha256())) {
                        return new AppendOutcome.Duplicate(rows.getLong(1));
                    }
                    controlIdSeen = true;
                }
            }
        }
        if (controlIdSeen && controlIdReuse == ControlIdReuse.REJECT) {
            return new AppendOutcome.ControlIdReused(rejected.insert(connection, asReused(entry)));
        }
        long journalId = Writes.insert(connection, INSERT, Timestamp.from(entry.receivedAt()),
                header.sendingApplication(), header.sendingFacility(), header.controlId(), entry.contentSha256(),
                header.messageType(), header.triggerEvent(), header.version(), entry.charset(), entry.remoteAddress(),
                entry.state().name(), entry.stateReason());
        Writes.update(connection, INSERT_BODY, journalId, entry.raw());
        if (entry.state() == JournalState.RECEIVED) {
            WorkQueue.enqueue(connection, QUEUE, null, String.valueOf(journalId), entry.receivedAt());
        }
        return new AppendOutcome.Stored(journalId);
    }

    /** The diagnostic for a reused control id, as the ACK and the rejected table carry it. */
    public static Hl7Error controlIdReusedError() {
        return new Hl7Error(Hl7Error.DUPLICATE_KEY, "MSH", 10,
                "duplicate control id: MSH-10 was already received from this sender with different content");
    }

    private static RejectedMessage asReused(JournalEntry entry) {
        MessageHeader header = entry.header();
        Hl7Error error = controlIdReusedError();
        return new RejectedMessage(entry.receivedAt(), "AE", error.code(), error.location(), error.diagnostic(),
                header.sendingApplication(), header.sendingFacility(), header.controlId(), header.typeName(),
                entry.charset(), entry.remoteAddress(), entry.raw());
    }
}
