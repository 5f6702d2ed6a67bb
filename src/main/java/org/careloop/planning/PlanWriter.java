package org.careloop.planning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.careloop.consent.ConsentStore;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.whatsapp.api.CloudApiRequests;

/**
 * Applies a plan to the store, in the caller's transaction, step by step. A message is planned only with an opt-in
 * for its patient and number, else held as SUPPRESSED ("no opt-in on record"), to go out if consent arrives in time.
 * Re-planning changes only rows that have not been sent: PLANNED, SUPPRESSED and CANCELLED ones.
 */
public final class PlanWriter {

    private PlanWriter() {
    }

    public static void apply(Connection connection, Iterable<PlanStep> steps, Instant now) throws SQLException {
        for (PlanStep step : steps) {
            if (step instanceof PlanStep.CancelPending cancel) {
                cancel(connection, cancel, now);
            } else if (step instanceof PlanStep.Upsert upsert) {
                upsert(connection, upsert.message(), now);
            } else if (step instanceof PlanStep.RecordConsent consent) {
                ConsentStore.record(connection, consent.patientKey(), consent.phone(), consent.status(),
                        consent.source(), null, now);
            } else if (step instanceof PlanStep.MergePatients merge) {
                ConsentStore.merge(connection, merge.fromKey(), merge.toKey(), now);
                Writes.update(connection, "UPDATE wa_outbound SET patient_key = ?, updated_at = ? WHERE patient_key = ? "
                        + "AND state IN ('PLANNED', 'SUPPRESSED')", merge.toKey(), Timestamp.from(now), merge.fromKey());
            } else if (step instanceof PlanStep.RefreshRecipient refresh) {
                refreshRecipient(connection, refresh, now);
            }
        }
    }

    private static void cancel(Connection connection, PlanStep.CancelPending cancel, Instant now) throws SQLException {
        String mappings = cancel.mappingIds().isEmpty() ? "" : " AND mapping_id IN ("
                + String.join(", ", cancel.mappingIds().stream().map(id -> "?").toList()) + ")";
        Object[] parameters = new Object[3 + cancel.mappingIds().size()];
        parameters[0] = cancel.reason();
        parameters[1] = Timestamp.from(now);
        parameters[2] = cancel.subjectKey();
        int i = 3;
        for (String id : cancel.mappingIds()) {
            parameters[i++] = id;
        }
        Writes.update(connection, "UPDATE wa_outbound SET state = 'CANCELLED', state_reason = ?, updated_at = ? "
                + "WHERE subject_key = ? AND state IN ('PLANNED', 'SUPPRESSED')" + mappings, parameters);
    }

    private static void upsert(Connection connection, PlannedMessage m, Instant now) throws SQLException {
        String reason = m.suppressedReason() != null ? m.suppressedReason()
                : ConsentStore.allows(connection, m.patientKey(), m.recipient()) ? null : ConsentStore.noOptIn();
        String state = reason == null ? "PLANNED" : "SUPPRESSED";
        Optional<String> existing = Reads.first(connection, "SELECT state FROM wa_outbound WHERE idempotency_key = ?",
                row -> row.getString(1), m.key());
        if (existing.isEmpty() && !m.refreshOnly()) {
            Writes.update(connection, "INSERT INTO wa_outbound (idempotency_key, recipient, message_type, "
                    + "template_name, template_language, request_json, due_at, state, state_reason, next_attempt_at, "
                    + "created_at, updated_at, mapping_id, subject_key, slot, patient_key, expires_at) "
                    + "VALUES (?, ?, 'template', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", m.key(), m.recipient(),
                    m.template(), m.language(), m.requestJson(), Timestamp.from(m.dueAt()), state, reason,
                    Timestamp.from(m.dueAt()), Timestamp.from(now), Timestamp.from(now), m.mappingId(), m.subjectKey(),
                    m.slot(), m.patientKey(), Timestamp.from(m.expiresAt()));
        } else if (existing.filter(s -> s.equals("PLANNED") || s.equals("SUPPRESSED")
                || s.equals("CANCELLED") && !m.refreshOnly()).isPresent()) {
            Writes.update(connection, "UPDATE wa_outbound SET recipient = ?, template_language = ?, request_json = ?, "
                    + "due_at = ?, next_attempt_at = ?, expires_at = ?, state = ?, state_reason = ?, patient_key = ?, "
                    + "updated_at = ? WHERE idempotency_key = ?", m.recipient(), m.language(), m.requestJson(),
                    Timestamp.from(m.dueAt()), Timestamp.from(m.dueAt()), Timestamp.from(m.expiresAt()), state, reason,
                    m.patientKey(), Timestamp.from(now), m.key());
        }
    }

    /** Pending messages of the patient go to the new number: re-addressed, and held unless it has consent. */
    private static void refreshRecipient(Connection connection, PlanStep.RefreshRecipient refresh, Instant now)
            throws SQLException {
        for (var row : Reads.list(connection, "SELECT id, request_json FROM wa_outbound WHERE patient_key = ? "
                + "AND state IN ('PLANNED', 'SUPPRESSED') AND recipient <> ? AND business_initiated",
                r -> new Object[] {r.getLong(1), r.getString(2)}, refresh.patientKey(), refresh.phone())) {
            boolean allowed = ConsentStore.allows(connection, refresh.patientKey(), refresh.phone());
            Writes.update(connection, "UPDATE wa_outbound SET recipient = ?, request_json = ?, state = ?, "
                    + "state_reason = ?, updated_at = ? WHERE id = ?", refresh.phone(),
                    CloudApiRequests.withRecipient((String) row[1], refresh.phone()), allowed ? "PLANNED" : "SUPPRESSED",
                    allowed ? null : ConsentStore.noOptIn(), Timestamp.from(now), row[0]);
        }
    }
}
