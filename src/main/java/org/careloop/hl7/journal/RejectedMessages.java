package org.careloop.hl7.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.careloop.store.Columns;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * The table of messages answered AE or AR: written through the group commit writer, like the journal. Each keeps its
 * raw bytes up to a bound (a 50 MB frame is refused, not stored whole) and its size.
 */
public final class RejectedMessages {

    private static final String INSERT = "INSERT INTO hl7_rejected (received_at, ack_code, error_code, "
            + "error_location, reason, sending_application, sending_facility, control_id, message_type, charset, "
            + "remote_address, raw_message, raw_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String SUMMARY = "SELECT id, received_at, ack_code, error_code, error_location, reason, "
            + "sending_application, sending_facility, control_id, message_type, replayed_at, replay_outcome, charset, "
            + "raw_message, raw_size FROM hl7_rejected";

    private final GroupCommitWriter writer;
    private final DataSource dataSource;
    private final int maxRawBytes;

    public RejectedMessages(GroupCommitWriter writer, DataSource dataSource, int maxRawBytes) {
        this.writer = writer;
        this.dataSource = dataSource;
        this.maxRawBytes = maxRawBytes;
    }

    /** The most recent rejections first. */
    public List<Rejection> list(int limit) throws SQLException {
        return Reads.list(dataSource, SUMMARY + " ORDER BY id DESC LIMIT ?", RejectedMessages::rejection, limit);
    }

    public Optional<Rejection> find(long id) throws SQLException {
        return Reads.first(dataSource, SUMMARY + " WHERE id = ?", RejectedMessages::rejection, id);
    }

    /** Notes that an operator replayed the message, and what the replay answered. */
    public void markReplayed(long id, Instant at, String outcome) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE hl7_rejected SET replayed_at = ?, replay_outcome = ? WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setString(2, Columns.reason(outcome));
            update.setLong(3, id);
            update.executeUpdate();
            connection.commit();
        }
    }

    private static Rejection rejection(ResultSet row) throws SQLException {
        Timestamp replayedAt = row.getTimestamp(11);
        return new Rejection(row.getLong(1), row.getTimestamp(2).toInstant(), row.getString(3), row.getInt(4),
                row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                row.getString(10), replayedAt == null ? null : replayedAt.toInstant(), row.getString(12),
                row.getString(13), row.getBytes(14), row.getObject(15) == null ? row.getBytes(14).length
                        : row.getLong(15));
    }

    public CompletableFuture<Long> record(RejectedMessage message) {
        return writer.submit(connection -> insert(connection, message));
    }

    long insert(Connection connection, RejectedMessage m) throws SQLException {
        // a rejected message's header fields can be anything the sender wrote: each kept as far as its column holds
        return Writes.insert(connection, INSERT, Timestamp.from(m.receivedAt()), m.ackCode(), m.errorCode(),
                Columns.fit(m.errorLocation(), 100), Columns.reason(m.reason()), Columns.fit(m.sendingApplication(),
                        1000), Columns.fit(m.sendingFacility(), 1000), Columns.fit(m.controlId(), 1000),
                Columns.fit(m.messageType(), 20), m.charset(), Columns.fit(m.remoteAddress(), 100),
                m.raw().length <= maxRawBytes ? m.raw() : Arrays.copyOf(m.raw(), maxRawBytes), m.raw().length);
    }
}
