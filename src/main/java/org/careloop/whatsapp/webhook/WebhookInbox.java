package org.careloop.whatsapp.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.careloop.queue.WorkQueue;
import org.careloop.store.ContentHash;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;

/**
 * The stored webhook POSTs: written through the group commit writer before the 200, each handed on through the
 * {@value #QUEUE} queue in the same transaction, to be applied in arrival order.
 */
public final class WebhookInbox {

    /** The queue stored webhooks are applied from. */
    public static final String QUEUE = "whatsapp-webhooks";

    /** A stored webhook body. */
    public record StoredWebhook(long id, byte[] body) {
    }

    private final GroupCommitWriter writer;
    private final Runnable queued;

    /** @param queued wakes the webhooks' queue once a new body is committed */
    public WebhookInbox(GroupCommitWriter writer, Runnable queued) {
        this.writer = writer;
        this.queued = queued;
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
                if (insert.executeUpdate() == 0) {
                    return false;
                }
            }
            long id = Reads.first(connection, "SELECT id FROM wa_webhook_inbox WHERE body_sha256 = ?",
                    row -> row.getLong(1), (Object) sha256).orElseThrow();
            WorkQueue.enqueue(connection, QUEUE, null, String.valueOf(id), receivedAt);
            return true;
        }).thenApply(isNew -> {
            if (isNew) {
                queued.run();
            }
            return isNew;
        });
    }

    /** The stored webhook a queue entry names, unless it was applied already. */
    static Optional<StoredWebhook> pending(Connection connection, long id) throws SQLException {
        return Reads.first(connection, "SELECT id, body FROM wa_webhook_inbox WHERE id = ? AND state = 'RECEIVED'",
                row -> new StoredWebhook(row.getLong(1), row.getBytes(2)), id);
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
