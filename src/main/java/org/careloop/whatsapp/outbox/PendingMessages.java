package org.careloop.whatsapp.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.whatsapp.api.CloudApiRequests;

/**
 * The outbox's messages that have not gone out, as the stages that decide about them change them, in the caller's
 * transaction: planning (templates planned, moved, cancelled, re-addressed), consent (held for an opt-out, released
 * by an opt-in) and the reply handling (answers inside the window, cancellations by the patient). Only the outbox
 * package writes {@code wa_outbound}; sending is {@link Outbox}'s.
 */
public final class PendingMessages {

    /** Not sent and not being sent: what a decision may still change. */
    private static final String PENDING = "state IN ('PLANNED', 'SUPPRESSED')";
    /** How long an answer to a patient stays worth sending: inside the 24 h window their message opened. */
    private static final Duration ANSWER_LIFETIME = Duration.ofHours(23);

    /**
     * A template message as planning wants it.
     *
     * @param state       PLANNED, SUPPRESSED or CANCELLED, with {@code reason} for the last two
     * @param shownStart  what the message shows of its appointment: the time, and the place and clinician by what
     *                    identifies them (null when it does not name them)
     */
    public record Template(String key, String recipient, String template, String language, String requestJson,
            Instant dueAt, Instant expiresAt, String state, String reason, String mappingId, String subjectKey,
            String slot, String patientKey, Instant shownStart, String shownPlace, String shownClinician) {
    }

    private PendingMessages() {
    }

    /** The state of the row planned under this key, if there is one. */
    public static Optional<String> stateOf(Connection connection, String key) throws SQLException {
        return Reads.first(connection, "SELECT state FROM wa_outbound WHERE idempotency_key = ?",
                row -> row.getString(1), key);
    }

    public static void insert(Connection connection, Template m, Instant now) throws SQLException {
        Writes.update(connection, "INSERT INTO wa_outbound (idempotency_key, recipient, message_type, template_name, "
                + "template_language, request_json, due_at, state, state_reason, next_attempt_at, created_at, "
                + "updated_at, mapping_id, subject_key, slot, patient_key, expires_at, shown_start, shown_place, "
                + "shown_clinician) VALUES (?, ?, 'template', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.key(), m.recipient(), m.template(), m.language(), m.requestJson(), Timestamp.from(m.dueAt()),
                m.state(), m.reason(), Timestamp.from(m.dueAt()), Timestamp.from(now), Timestamp.from(now),
                m.mappingId(), m.subjectKey(), m.slot(), m.patientKey(), Timestamp.from(m.expiresAt()),
                timestamp(m.shownStart()), m.shownPlace(), m.shownClinician());
    }

    /** Writes the row planned under the message's key again (it has not gone out). */
    public static void rewrite(Connection connection, Template m, Instant now) throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET recipient = ?, template_language = ?, request_json = ?, "
                + "due_at = ?, next_attempt_at = ?, expires_at = ?, state = ?, state_reason = ?, patient_key = ?, "
                + "shown_start = ?, shown_place = ?, shown_clinician = ?, updated_at = ? WHERE idempotency_key = ?",
                m.recipient(), m.language(), m.requestJson(), Timestamp.from(m.dueAt()), Timestamp.from(m.dueAt()),
                Timestamp.from(m.expiresAt()), m.state(), m.reason(), m.patientKey(), timestamp(m.shownStart()),
                m.shownPlace(), m.shownClinician(), Timestamp.from(now), m.key());
    }

    /** A pending message's request written again (a results notice that now covers several reports). */
    public static void rewriteRequest(Connection connection, String key, String requestJson, Instant now)
            throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET request_json = ?, updated_at = ? WHERE idempotency_key = ? "
                + "AND " + PENDING, requestJson, Timestamp.from(now), key);
    }

    /** Cancels what is pending about a subject: all of it, or only what these mappings planned. */
    public static void cancelForSubject(Connection connection, String subjectKey, Collection<String> mappingIds,
            String reason, Instant now) throws SQLException {
        cancelWhere(connection, "subject_key = ?", subjectKey, mappingIds, reason, now);
    }

    /** Cancels a mapping's other pending messages about a subject: a later one replaces them. */
    public static void cancelReplaced(Connection connection, String subjectKey, String mappingId, String keptKey,
            String reason, Instant now) throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET state = 'CANCELLED', state_reason = ?, updated_at = ? "
                + "WHERE subject_key = ? AND mapping_id = ? AND idempotency_key <> ? AND " + PENDING, reason,
                Timestamp.from(now), subjectKey, mappingId, keptKey);
    }

    /** Cancels what is pending for a patient, whatever it is about: all of it, or what these mappings planned. */
    public static void cancelForPatient(Connection connection, String patientKey, Collection<String> mappingIds,
            String reason, Instant now) throws SQLException {
        cancelWhere(connection, "patient_key = ?", patientKey, mappingIds, reason, now);
    }

    /** Cancels what is pending where {@code condition} holds for {@code value}: all of it, or these mappings'. */
    private static void cancelWhere(Connection connection, String condition, String value,
            Collection<String> mappingIds, String reason, Instant now) throws SQLException {
        List<Object> parameters = new ArrayList<>(List.of(reason, Timestamp.from(now), value));
        parameters.addAll(mappingIds);
        String mappings = mappingIds.isEmpty() ? "" : " AND mapping_id IN ("
                + String.join(", ", mappingIds.stream().map(id -> "?").toList()) + ")";
        Writes.update(connection, "UPDATE wa_outbound SET state = 'CANCELLED', state_reason = ?, updated_at = ? "
                + "WHERE " + condition + " AND " + PENDING + mappings, parameters.toArray());
    }

    /**
     * A subject's planned messages of these slots ("day-": a check-in sequence) wait: held with {@code reason} until
     * {@link #resume}.
     */
    public static void pause(Connection connection, String subjectKey, String slotPrefix, String reason, Instant now)
            throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET state = 'SUPPRESSED', state_reason = ?, updated_at = ? "
                + "WHERE subject_key = ? AND state = 'PLANNED' AND slot LIKE ?", reason, Timestamp.from(now),
                subjectKey, slotPrefix + "%");
    }

    /** Who the messages paused for a subject go to (patient key, number), when some are paused. */
    public static Optional<String[]> pausedRecipient(Connection connection, String subjectKey, String reason)
            throws SQLException {
        return Reads.first(connection, "SELECT patient_key, recipient FROM wa_outbound WHERE subject_key = ? AND "
                + "state = 'SUPPRESSED' AND state_reason = ?", row -> new String[] {row.getString(1),
                        row.getString(2)}, subjectKey, reason);
    }

    /**
     * The messages paused for a subject go on: planned again when the patient's consent {@code allowed} it, else held
     * with {@code heldReason} (for want of an opt-in), as an opt-out meanwhile would have held them.
     */
    public static void resume(Connection connection, String subjectKey, String reason, boolean allowed,
            String heldReason, Instant now) throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET state = ?, state_reason = ?, updated_at = ? "
                + "WHERE subject_key = ? AND state = 'SUPPRESSED' AND state_reason = ?", allowed ? "PLANNED"
                        : "SUPPRESSED", allowed ? null : heldReason, Timestamp.from(now), subjectKey, reason);
    }

    /** Two patient records became one: what is pending for the merged one belongs to the survivor. */
    public static void movePatient(Connection connection, String fromKey, String toKey, Instant now)
            throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET patient_key = ?, updated_at = ? WHERE patient_key = ? AND "
                + PENDING, toKey, Timestamp.from(now), fromKey);
    }

    /**
     * The patient's number changed: their pending business-initiated messages go to the new one, held with
     * {@code heldReason} unless it is {@code allowed}.
     */
    public static void readdress(Connection connection, String patientKey, String phone, boolean allowed,
            String heldReason, Instant now) throws SQLException {
        for (var row : Reads.list(connection, "SELECT id, request_json FROM wa_outbound WHERE patient_key = ? AND "
                + PENDING + " AND recipient <> ? AND business_initiated", r -> new Object[] {r.getLong(1),
                r.getString(2)}, patientKey, phone)) {
            Writes.update(connection, "UPDATE wa_outbound SET recipient = ?, request_json = ?, state = ?, "
                    + "state_reason = ?, updated_at = ? WHERE id = ?", phone,
                    CloudApiRequests.withRecipient((String) row[1], phone), allowed ? "PLANNED" : "SUPPRESSED",
                    allowed ? null : heldReason, Timestamp.from(now), row[0]);
        }
    }

    /** An opt-out: every business-initiated message planned for the number is held. */
    public static void holdForNumber(Connection connection, String phone, String reason, Instant now)
            throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET state = 'SUPPRESSED', state_reason = ?, updated_at = ? "
                + "WHERE recipient = ? AND state = 'PLANNED' AND business_initiated", reason, Timestamp.from(now),
                phone);
    }

    /** An opt-in: the patient's messages held for want of one, on this number, are planned again. */
    public static void releaseHeld(Connection connection, String phone, String patientKey, String heldReason,
            Instant now) throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET state = 'PLANNED', state_reason = NULL, updated_at = ? "
                + "WHERE recipient = ? AND patient_key = ? AND state = 'SUPPRESSED' AND state_reason = ?",
                Timestamp.from(now), phone, patientKey, heldReason);
    }

    /**
     * An answer to a patient's message, once per key: free-form ("text" or "interactive"), so no opt-in is needed
     * (it answers, it does not offer) and it must go inside the 24 h window their message opened.
     *
     * @param subjectKey what the answer asks about (its own buttons are judged against what it shows), or null
     */
    public static void answer(Connection connection, String key, String phone, String messageType, String requestJson,
            String subjectKey, String patientKey, String language, Instant shownStart, String shownPlace,
            Instant now) throws SQLException {
        Timestamp at = Timestamp.from(now);
        Writes.update(connection, "INSERT INTO wa_outbound (idempotency_key, recipient, message_type, request_json, "
                + "due_at, state, next_attempt_at, created_at, updated_at, business_initiated, expires_at, "
                + "subject_key, patient_key, template_language, shown_start, shown_place) "
                + "SELECT ?, ?, ?, ?, ?, 'PLANNED', ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                + "(SELECT 1 FROM wa_outbound WHERE idempotency_key = ?)", key, phone, messageType, requestJson, at,
                at, at, at, Timestamp.from(now.plus(ANSWER_LIFETIME)), subjectKey, patientKey, language,
                timestamp(shownStart), shownPlace, key);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
