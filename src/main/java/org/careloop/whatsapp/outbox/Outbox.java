package org.careloop.whatsapp.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.careloop.store.Columns;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Upsert;
import org.careloop.store.Writes;

/**
 * The outbox of messages to patients. Every change goes through the group commit writer, so it is durable before
 * the caller goes on: a row is claimed, durably, before it is sent, and after a crash a row still CLAIMED was
 * possibly sent (see {@link #recoverAbandonedClaims}).
 */
public final class Outbox {

    private static final Upsert UNREACHABLE = Upsert.into("wa_unreachable_recipient", "recipient",
            "recipient, error_code, since");

    private static final String COLUMNS = "id, idempotency_key, recipient, message_type, template_name, "
            + "template_language, request_json, due_at, state, attempts, claim_token, wamid, error_code, state_reason";
    /**
     * Due rows in due order, read along the (state, next_attempt_at) index and stopped at the limit. (As a subquery
     * of the claiming UPDATE, H2 evaluated it again for every candidate row.) A shared PostgreSQL store would add
     * FOR UPDATE SKIP LOCKED.
     */
    private static final String DUE = "SELECT id FROM wa_outbound o WHERE state = 'PLANNED' AND next_attempt_at <= ? "
            + "AND NOT EXISTS (SELECT 1 FROM wa_paused_template p WHERE p.template_name = o.template_name "
            + "AND p.template_language IN (o.template_language, '*')) "
            + "AND NOT EXISTS (SELECT 1 FROM wa_unreachable_recipient u WHERE u.recipient = o.recipient) "
            + "AND (NOT o.business_initiated OR EXISTS (SELECT 1 FROM consent c WHERE c.phone = o.recipient "
            + "AND c.status = 'OPT_IN' AND (o.patient_key IS NULL OR c.patient_key = o.patient_key))) "
            + "ORDER BY next_attempt_at LIMIT ?";
    /** A late row is sent only while its appointment is more than the late margin away; after that it expires. */
    private static final String EXPIRE = "UPDATE wa_outbound SET state = 'EXPIRED', state_reason = 'its moment passed "
            + "and the appointment is now too close to send it late', updated_at = ? "
            + "WHERE state = 'PLANNED' AND expires_at <= ?";
    private static final String CLAIM = "UPDATE wa_outbound SET state = 'CLAIMED', claim_token = ?, claimed_at = ?, "
            + "attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'PLANNED'";
    private static final String FINISH = "UPDATE wa_outbound SET state = ?, next_attempt_at = COALESCE(?, "
            + "next_attempt_at), wamid = COALESCE(?, wamid), error_code = ?, state_reason = ?, "
            + "attempts = attempts - ?, sent_at = CASE WHEN ? = 'SENT' THEN ? ELSE sent_at END, claim_token = NULL, "
            + "updated_at = ? WHERE id = ? AND claim_token = ? AND state = 'CLAIMED'";

    /** Wakes the outbox's consumer: a step committed a message to send (a route's step signals it on commit). */
    public static final String DUE_SIGNAL = "whatsapp-outbox";

    private final GroupCommitWriter writer;
    private final DataSource dataSource;

    public Outbox(GroupCommitWriter writer, DataSource dataSource) {
        this.writer = writer;
        this.dataSource = dataSource;
    }

    /** Plans a message, or finds the row already planned under its key; returns the row id. */
    public CompletableFuture<Long> plan(NewOutbound message, Instant now) {
        return writer.submit(connection -> {
            Optional<Long> existing = Reads.first(connection, "SELECT id FROM wa_outbound WHERE idempotency_key = ?",
                    row -> row.getLong(1), message.idempotencyKey());
            if (existing.isPresent()) {
                return existing.get();
            }
            boolean unreachable = Reads.first(connection,
                    "SELECT 1 FROM wa_unreachable_recipient WHERE recipient = ?", row -> true,
                    message.recipient()).isPresent();
            return Writes.insert(connection, "INSERT INTO wa_outbound (idempotency_key, recipient, message_type, "
                    + "template_name, template_language, request_json, due_at, state, state_reason, next_attempt_at, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", message.idempotencyKey(),
                    message.recipient(), message.messageType(), message.templateName(), message.templateLanguage(),
                    message.requestJson(), Timestamp.from(message.dueAt()),
                    (unreachable ? OutboundState.SUPPRESSED : OutboundState.PLANNED).name(),
                    unreachable ? "the number is not reachable on WhatsApp" : null, Timestamp.from(message.dueAt()),
                    Timestamp.from(now), Timestamp.from(now));
        });
    }

    /**
     * Claims up to {@code limit} due rows, oldest first, skipping paused templates, unreachable numbers and, for
     * business-initiated messages, numbers without an opt-in (consent is checked again at the last moment); rows
     * past their expiry become EXPIRED. The claim is committed before this returns: only the holder of
     * {@code token} may record how the send ended.
     */
    public CompletableFuture<List<OutboundMessage>> claimDue(Instant now, int limit, String token) {
        return writer.submit(connection -> {
            Writes.update(connection, EXPIRE, Timestamp.from(now), Timestamp.from(now));
            List<Long> due = Reads.list(connection, DUE, row -> row.getLong(1), Timestamp.from(now), limit);
            if (due.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                for (long id : due) {
                    claim.setString(1, token);
                    claim.setTimestamp(2, Timestamp.from(now));
                    claim.setTimestamp(3, Timestamp.from(now));
                    claim.setLong(4, id);
                    claim.addBatch();
                }
                claim.executeBatch();
            }
            return Reads.list(connection, "SELECT " + COLUMNS + " FROM wa_outbound WHERE state = 'CLAIMED' "
                    + "AND claim_token = ? ORDER BY next_attempt_at", Outbox::message, token);
        });
    }

    /**
     * Records, in the caller's transaction, how the send of a claimed row ended; false if the row is no longer
     * claimed under this token.
     */
    public static boolean finishClaim(Connection connection, OutboundMessage claimed, Transition t, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(FINISH)) {
            update.setString(1, t.state().name());
            update.setTimestamp(2, t.nextAttemptAt() == null ? null : Timestamp.from(t.nextAttemptAt()));
            update.setString(3, t.wamid());
            update.setObject(4, t.errorCode());
            update.setString(5, Columns.reason(t.reason()));
            update.setInt(6, t.countsAsAttempt() ? 0 : 1);
            update.setString(7, t.state().name());
            update.setTimestamp(8, Timestamp.from(now));
            update.setTimestamp(9, Timestamp.from(now));
            update.setLong(10, claimed.id());
            update.setString(11, claimed.claimToken());
            return update.executeUpdate() == 1;
        }
    }

    /** Records how the send of a claimed row ended, committed before it returns; false if no longer claimed. */
    public CompletableFuture<Boolean> finish(OutboundMessage claimed, Transition transition, Instant now) {
        return writer.submit(connection -> finishClaim(connection, claimed, transition, now));
    }

    /**
     * After a crash, rows still CLAIMED may or may not have reached Meta. {@code resend} plans them again (a patient
     * may get a message twice); otherwise they become UNKNOWN for an operator to decide. Returns how many.
     */
    public CompletableFuture<Integer> recoverAbandonedClaims(boolean resend, Instant now) {
        return writer.submit(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE wa_outbound SET state = ?, "
                    + "state_reason = ?, claim_token = NULL, updated_at = ? WHERE state = 'CLAIMED'")) {
                update.setString(1, (resend ? OutboundState.PLANNED : OutboundState.UNKNOWN).name());
                update.setString(2, "claimed when the engine stopped: it may have been sent");
                update.setTimestamp(3, Timestamp.from(now));
                return update.executeUpdate();
            }
        });
    }

    /** Stops sending to a number: records it and suppresses every planned row for it, in the caller's transaction. */
    public static void markUnreachable(Connection connection, String recipient, int errorCode, Instant now)
            throws SQLException {
        Writes.upsert(connection, UNREACHABLE, recipient, errorCode, Timestamp.from(now));
        try (PreparedStatement suppress = connection.prepareStatement("UPDATE wa_outbound SET state = 'SUPPRESSED', "
                + "state_reason = ?, updated_at = ? WHERE recipient = ? AND state = 'PLANNED'")) {
            suppress.setString(1, "the number is not reachable on WhatsApp (error " + errorCode + ")");
            suppress.setTimestamp(2, Timestamp.from(now));
            suppress.setString(3, recipient);
            suppress.executeUpdate();
        }
    }

    /**
     * Moves the row with this wamid up to {@code status} (SENT, DELIVERED, READ or FAILED), never down, and records
     * the status's time whatever the order statuses arrive in. Returns whether the row's state changed.
     */
    public static boolean advanceStatus(Connection connection, String wamid, OutboundState status, Instant at,
            Integer errorCode) throws SQLException {
        String timeColumn = switch (status) {
            case DELIVERED -> "delivered_at";
            case READ -> "read_at";
            default -> "sent_at";
        };
        try (PreparedStatement time = connection.prepareStatement("UPDATE wa_outbound SET " + timeColumn
                + " = COALESCE(" + timeColumn + ", ?) WHERE wamid = ?")) {
            time.setTimestamp(1, Timestamp.from(at));
            time.setString(2, wamid);
            time.executeUpdate();
        }
        List<String> lower = new ArrayList<>();
        for (OutboundState state : OutboundState.values()) {
            if (state.deliveryRank() >= 1 && state.deliveryRank() < status.deliveryRank()) {
                lower.add("'" + state.name() + "'");
            }
        }
        if (lower.isEmpty()) {
            return false;
        }
        try (PreparedStatement advance = connection.prepareStatement("UPDATE wa_outbound SET state = ?, "
                + "error_code = COALESCE(?, error_code), updated_at = ? WHERE wamid = ? AND state IN ("
                + String.join(", ", lower) + ")")) {
            advance.setString(1, status.name());
            advance.setObject(2, errorCode);
            advance.setTimestamp(3, Timestamp.from(at));
            advance.setString(4, wamid);
            return advance.executeUpdate() == 1;
        }
    }

    public Optional<OutboundMessage> find(long id) throws SQLException {
        return Reads.first(dataSource, "SELECT " + COLUMNS + " FROM wa_outbound WHERE id = ?", Outbox::message, id);
    }

    public List<OutboundMessage> list(OutboundState state, int limit) throws SQLException {
        return Reads.list(dataSource, "SELECT " + COLUMNS + " FROM wa_outbound WHERE state = ? ORDER BY id DESC "
                + "LIMIT ?", Outbox::message, state.name(), limit);
    }

    /** Puts an UNKNOWN or FAILED row back in line to be sent now (an operator's decision). */
    public CompletableFuture<Boolean> resend(long id, Instant now) {
        return writer.submit(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE wa_outbound SET state = 'PLANNED', "
                    + "next_attempt_at = ?, state_reason = 'resent by an operator', updated_at = ? "
                    + "WHERE id = ? AND state IN ('UNKNOWN', 'FAILED')")) {
                update.setTimestamp(1, Timestamp.from(now));
                update.setTimestamp(2, Timestamp.from(now));
                update.setLong(3, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    private static OutboundMessage message(ResultSet row) throws SQLException {
        return new OutboundMessage(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getString(7), row.getTimestamp(8).toInstant(),
                OutboundState.valueOf(row.getString(9)), row.getInt(10), row.getString(11), row.getString(12),
                (Integer) row.getObject(13), row.getString(14));
    }
}
