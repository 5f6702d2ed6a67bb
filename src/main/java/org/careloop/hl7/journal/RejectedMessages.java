package org.careloop.hl7.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/** The table of messages answered AE or AR: written through the group commit writer, like the journal. */
public final class RejectedMessages {

    private static final String INSERT = "INSERT INTO hl7_rejected (received_at, ack_code, error_code, "
            + "error_location, reason, sending_application, sending_facility, control_id, message_type, charset, "
            + "remote_address, raw_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String SUMMARY = "SELECT id, received_at, ack_code, error_code, error_location, reason, "
            + "sending_application, sending_facility, control_id, message_type, replayed_at, replay_outcome, charset, "
            + "raw_message FROM hl7_rejected";

    private final GroupCommitWriter writer;
    private final DataSource dataSource;

    public RejectedMessages(GroupCommitWriter writer, DataSource dataSource) {
        this.writer = writer;
        this.dataSource = dataSource;
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
            update.setString(2, truncate(outcome));
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
                row.getString(13), row.getBytes(14));
    }

    public CompletableFuture<Long> record(RejectedMessage message) {
        return writer.submit(connection -> insert(connection, message));
    }

    long insert(Connection connection, RejectedMessage m) throws SQLException {
        return Writes.insert(connection, INSERT, Timestamp.from(m.receivedAt()), m.ackCode(), m.errorCode(),
                m.errorLocation(), truncate(m.reason()), m.sendingApplication(), m.sendingFacility(), m.controlId(),
                m.messageType(), m.charset(), m.remoteAddress(), m.raw());
    }

    private static String truncate(String reason) {
        return reason.length() > 2000 ? reason.substring(0, 2000) : reason;
    }
}
