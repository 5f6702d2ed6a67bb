package org.careloop.planning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.careloop.consent.ConsentStore;
import org.careloop.event.EventKind;
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
            } else if (step instanceof PlanStep.RecordDeath death) {
                recordDeath(connection, death);
            } else if (step instanceof PlanStep.ClearDeath clear) {
                Writes.update(connection, "DELETE FROM patient_deceased WHERE patient_key = ?", clear.patientKey());
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

    /** Nothing more for this patient: what is pending is cancelled, with why; the number's other patients go on. */
    private static void recordDeath(Connection connection, PlanStep.RecordDeath death) throws SQLException {
        Timestamp at = Timestamp.from(death.at());
        if (Writes.update(connection, "UPDATE patient_deceased SET reason = ?, recorded_at = ? WHERE patient_key = ?",
                death.reason(), at, death.patientKey()) == 0) {
            Writes.update(connection, "INSERT INTO patient_deceased (patient_key, reason, recorded_at) VALUES (?, ?, ?)",
                    death.patientKey(), death.reason(), at);
        }
        Writes.update(connection, "UPDATE wa_outbound SET state = 'CANCELLED', state_reason = ?, updated_at = ? "
                + "WHERE patient_key = ? AND state IN ('PLANNED', 'SUPPRESSED')", death.reason(), at,
                death.patientKey());
    }

    private static void upsert(Connection connection, PlannedMessage m, Instant now) throws SQLException {
        Optional<String> died = Reads.first(connection, "SELECT reason FROM patient_deceased WHERE patient_key = ?",
                row -> row.getString(1), m.patientKey());
        String reason = died.isPresent() ? died.get() : m.suppressedReason() != null ? m.suppressedReason()
                : ConsentStore.allows(connection, m.patientKey(), m.recipient()) ? null : ConsentStore.noOptIn();
        String state = died.isPresent() ? "CANCELLED" : reason == null ? "PLANNED" : "SUPPRESSED";
        if (m.announcesMove() && !replaceEarlierNotices(connection, m, now)
                || m.answers() == EventKind.APPOINTMENT_CANCELLED
                        // the patient cancelled it here and was told so: the EHR's report earns no notice
                        && AppointmentNow.cancelledByThePatient(connection, m.subjectKey())) {
            return;
        }
        Optional<String> existing = Reads.first(connection, "SELECT state FROM wa_outbound WHERE idempotency_key = ?",
                row -> row.getString(1), m.key());
        if (existing.isEmpty() && !m.refreshOnly()) {
            Writes.update(connection, "INSERT INTO wa_outbound (idempotency_key, recipient, message_type, "
                    + "template_name, template_language, request_json, due_at, state, state_reason, next_attempt_at, "
                    + "created_at, updated_at, mapping_id, subject_key, slot, patient_key, expires_at, shown_start, "
                    + "shown_place, shown_clinician) VALUES (?, ?, 'template', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "?, ?, ?)", m.key(), m.recipient(), m.template(), m.language(), m.requestJson(),
                    Timestamp.from(m.dueAt()), state, reason, Timestamp.from(m.dueAt()), Timestamp.from(now),
                    Timestamp.from(now), m.mappingId(), m.subjectKey(), m.slot(), m.patientKey(),
                    Timestamp.from(m.expiresAt()), timestamp(m.shown().start()), m.shown().place(),
                    m.shown().clinician());
        } else if (existing.filter(s -> s.equals("PLANNED") || s.equals("SUPPRESSED")
                || s.equals("CANCELLED") && !m.refreshOnly()).isPresent()) {
            Writes.update(connection, "UPDATE wa_outbound SET recipient = ?, template_language = ?, request_json = ?, "
                    + "due_at = ?, next_attempt_at = ?, expires_at = ?, state = ?, state_reason = ?, patient_key = ?, "
                    + "shown_start = ?, shown_place = ?, shown_clinician = ?, updated_at = ? WHERE idempotency_key = ?",
                    m.recipient(), m.language(), m.requestJson(), Timestamp.from(m.dueAt()), Timestamp.from(m.dueAt()),
                    Timestamp.from(m.expiresAt()), state, reason, m.patientKey(), timestamp(m.shown().start()),
                    m.shown().place(), m.shown().clinician(), Timestamp.from(now), m.key());
        }
    }

    /**
     * A notice of a move replaces the mapping's earlier notices for the subject that have not gone out (the patient
     * is told the latest time once), and is not wanted when its time is the one the patient was last shown (a move
     * back). Returns whether it is still wanted.
     */
    private static boolean replaceEarlierNotices(Connection connection, PlannedMessage m, Instant now)
            throws SQLException {
        Writes.update(connection, "UPDATE wa_outbound SET state = 'CANCELLED', state_reason = ?, updated_at = ? "
                + "WHERE subject_key = ? AND mapping_id = ? AND idempotency_key <> ? AND state IN ('PLANNED', "
                + "'SUPPRESSED')", "a later move replaced it", Timestamp.from(now), m.subjectKey(), m.mappingId(),
                m.key());
        Optional<Instant> lastShown = Reads.first(connection, "SELECT shown_start FROM wa_outbound WHERE "
                + "subject_key = ? AND shown_start IS NOT NULL AND idempotency_key <> ? AND state IN ('CLAIMED', "
                + "'SENT', 'DELIVERED', 'READ', 'UNKNOWN') ORDER BY COALESCE(sent_at, claimed_at) DESC, id DESC LIMIT 1",
                row -> row.getTimestamp(1).toInstant(), m.subjectKey(), m.key());
        return lastShown.isEmpty() || !lastShown.get().equals(m.shown().start());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
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
