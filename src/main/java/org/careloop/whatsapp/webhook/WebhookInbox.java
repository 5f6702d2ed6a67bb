package org.careloop.whatsapp.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.careloop.hl7.journal.ContentHash;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;

/** The stored webhook POSTs: written through the group commit writer before the 200, drained in arrival order. */
public final class WebhookInbox {

    /** A stored webhook body. */
    public record StoredWebhook(long id, byte[] body) {
    }

    private final GroupCommitWriter writer;

    public WebhookInbox(GroupCommitWriter writer) {
        this.writer = writer;
    }

    /** Stores a body unless the same bytes were stored before (Meta resends); true if it is new. */
    public CompletableFuture<Boolean> store(byte[] body, Instant receivedAt) {
        byte[] sha256 = ContentHash.of(body);
        return writer.submit(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO wa_webhook_inbox (received_at, "
                    + "body_sha256, body, state) SELECT ?, ?, ?, 'RECEIVED' WHERE NOT EXISTS "
                    + "(SELECT 1 FROM wa_webhook_inbox WHERE body_sha256 = ?)")) {
                insert.setTimestamp(1, Timestamp.from(receivedAt));
                insert.setBytes(2, sha256);
                insert.setBytes(3, body);
                insert.setBytes(4, sha256);
                return insert.executeUpdate() == 1;
            }
        });
    }

    static List<StoredWebhook> pending(Connection connection, int limit) throws SQLException {
        return Reads.list(connection, "SELECT id, body FROM wa_webhook_inbox WHERE state = 'RECEIVED' ORDER BY id "
                + "LIMIT ?", row -> new StoredWebhook(row.getLong(1), row.getBytes(2)), limit);
    }

    static void mark(Connection connection, long id, String state, String reason, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE wa_webhook_inbox SET state = ?, "
                + "state_reason = ?, processed_at = ? WHERE id = ?")) {
            update.setString(1, state);
            update.setString(2, reason);
            update.setTimestamp(3, Timestamp.from(at));
            update.setLong(4, id);
            update.executeUpdate();
        }
    }
}
