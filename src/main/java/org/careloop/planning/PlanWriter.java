package org.careloop.planning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.careloop.consent.ConsentStore;
import org.careloop.event.EventKind;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.whatsapp.outbox.PendingMessages;

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
                PendingMessages.cancelForSubject(connection, cancel.subjectKey(), cancel.mappingIds(), cancel.reason(),
                        now);
            } else if (step instanceof PlanStep.CancelForPatient cancel) {
                PendingMessages.cancelForPatient(connection, cancel.patientKey(), cancel.mappingIds(), cancel.reason(),
                        now);
            } else if (step instanceof PlanStep.Upsert upsert) {
                upsert(connection, upsert.message(), now);
            } else if (step instanceof PlanStep.AnnounceResult result) {
                ResultReports.apply(connection, result, now);
            } else if (step instanceof PlanStep.PlanDoses doses) {
                MedicationOrders.plan(connection, doses, now);
            } else if (step instanceof PlanStep.StopMedication stop) {
                MedicationOrders.stop(connection, stop, now);
            } else if (step instanceof PlanStep.RecordConsent consent) {
                ConsentStore.record(connection, consent.patientKey(), consent.phone(), consent.status(),
                        consent.source(), null, now);
            } else if (step instanceof PlanStep.MergePatients merge) {
                ConsentStore.merge(connection, merge.fromKey(), merge.toKey(), now);
                PendingMessages.movePatient(connection, merge.fromKey(), merge.toKey(), now);
            } else if (step instanceof PlanStep.RefreshRecipient refresh) {
                PendingMessages.readdress(connection, refresh.patientKey(), refresh.phone(),
                        ConsentStore.allows(connection, refresh.patientKey(), refresh.phone()), ConsentStore.noOptIn(),
                        now);
            } else if (step instanceof PlanStep.RecordDeath death) {
                recordDeath(connection, death);
            } else if (step instanceof PlanStep.ClearDeath clear) {
                Writes.update(connection, "DELETE FROM patient_deceased WHERE patient_key = ?", clear.patientKey());
            }
        }
    }

    /** Nothing more for this patient: what is pending is cancelled, with why; the number's other patients go on. */
    private static void recordDeath(Connection connection, PlanStep.RecordDeath death) throws SQLException {
        Timestamp at = Timestamp.from(death.at());
        if (Writes.update(connection, "UPDATE patient_deceased SET reason = ?, recorded_at = ? WHERE patient_key = ?",
                death.reason(), at, death.patientKey()) == 0) {
            Writes.update(connection, "INSERT INTO patient_deceased (patient_key, reason, recorded_at) VALUES (?, ?, ?)",
                    death.patientKey(), death.reason(), at);
        }
        PendingMessages.cancelForPatient(connection, death.patientKey(), Set.of(), death.reason(), death.at());
    }

    static void upsert(Connection connection, PlannedMessage m, Instant now) throws SQLException {
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
        Optional<String> existing = PendingMessages.stateOf(connection, m.key());
        PendingMessages.Template row = new PendingMessages.Template(m.key(), m.recipient(), m.template(), m.language(),
                m.requestJson(), m.dueAt(), m.expiresAt(), state, reason != null ? reason : m.note(), m.mappingId(),
                m.subjectKey(), m.slot(),
                m.patientKey(), m.shown().start(), m.shown().place(), m.shown().clinician());
        if (existing.isEmpty() && !m.refreshOnly()) {
            PendingMessages.insert(connection, row, now);
        } else if (existing.filter(s -> s.equals("PLANNED") || s.equals("SUPPRESSED")
                || s.equals("CANCELLED") && !m.refreshOnly()).isPresent()) {
            PendingMessages.rewrite(connection, row, now);
        }
    }

    /**
     * A notice of a move replaces the mapping's earlier notices for the subject that have not gone out (the patient
     * is told the latest time once), and is not wanted when its time is the one the patient was last shown (a move
     * back). Returns whether it is still wanted.
     */
    private static boolean replaceEarlierNotices(Connection connection, PlannedMessage m, Instant now)
            throws SQLException {
        PendingMessages.cancelReplaced(connection, m.subjectKey(), m.mappingId(), m.key(), "a later move replaced it",
                now);
        Optional<Instant> lastShown = Reads.first(connection, "SELECT shown_start FROM wa_outbound WHERE "
                + "subject_key = ? AND shown_start IS NOT NULL AND idempotency_key <> ? AND state IN ('CLAIMED', "
                + "'SENT', 'DELIVERED', 'READ', 'UNKNOWN') ORDER BY COALESCE(sent_at, claimed_at) DESC, id DESC LIMIT 1",
                row -> row.getTimestamp(1).toInstant(), m.subjectKey(), m.key());
        return lastShown.isEmpty() || !lastShown.get().equals(m.shown().start());
    }
}
