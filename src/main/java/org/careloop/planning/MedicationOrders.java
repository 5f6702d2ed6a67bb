package org.careloop.planning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.event.Coded;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.whatsapp.outbox.PendingMessages;

/**
 * Medication orders and their reminders, in the caller's transaction ({@code medication_order}, planning's own
 * table): the doses of an active order planned, the daily maximum per patient held across all their orders, a change
 * replacing what is still to go, a stop (by the record or by the patient) ending it for good. A replayed message does
 * not revive an order that stopped.
 */
public final class MedicationOrders {

    /** The subjects of medication reminders: "medication:EPIC|RX-3001" (the sending application, ORC-2). */
    public static final String SUBJECT_PREFIX = "medication:";
    /** How the slots of medication reminders, and only theirs, begin: "dose-2027-03-13T09:00" (the local dose). */
    public static final String DOSE_SLOT_PREFIX = "dose-";
    /** Orders whose reminders a later message of the same order does not bring back. */
    private static final Set<String> ENDED = Set.of("DISCONTINUED", "STOPPED_BY_PATIENT");
    /** ORC-1 order controls that change an order: its reminders still to go are replaced. */
    private static final Set<String> CHANGES = Set.of("XO", "RP", "RL");

    private MedicationOrders() {
    }

    static void plan(Connection connection, PlanStep.PlanDoses step, Instant now) throws SQLException {
        Optional<String> state = stateOf(connection, step.mappingId(), step.subjectKey());
        if (state.filter(ENDED::contains).isPresent()
                || state.filter("HELD"::equals).isPresent() && !"RL".equals(step.control())) {
            return;
        }
        if (state.isPresent() && CHANGES.contains(step.control())) {
            PendingMessages.cancelForSubject(connection, step.subjectKey(), List.of(step.mappingId()),
                    "replaced by a changed order (ORC-1 " + step.control() + ")", now);
        }
        for (PlanStep.PlanDoses.Dose dose : step.doses()) {
            long thatDay = Reads.first(connection, "SELECT COUNT(*) FROM wa_outbound WHERE patient_key = ? AND slot "
                    + "LIKE ? AND due_at >= ? AND due_at < ? AND idempotency_key <> ? AND state NOT IN "
                    + "('CANCELLED', 'SUPPRESSED', 'EXPIRED', 'FAILED')", row -> row.getLong(1), step.patientKey(),
                    DOSE_SLOT_PREFIX + "%", Timestamp.from(dose.dayStart()), Timestamp.from(dose.dayEnd()),
                    dose.message().key()).orElse(0L);
            PlanWriter.upsert(connection, thatDay < step.maxPerDay() ? dose.message() : dose.message().suppressedFor(
                    "the patient's day already has " + step.maxPerDay() + " medication reminders (medications."
                            + "maxPerDay)"), now);
        }
        record(connection, step.mappingId(), step.subjectKey(), step.patientKey(), "ACTIVE", null, now);
        if (step.medication() != null) {
            Writes.update(connection, "UPDATE medication_order SET medication_system = ?, medication_code = ?, "
                    + "medication_display = ? WHERE mapping_id = ? AND subject_key = ?", step.medication().system(),
                    step.medication().code(), step.medication().display(), step.mappingId(), step.subjectKey());
        }
    }

    /** The drug an order named (RXE-2, MedicationRequest.medication), if it named one. */
    public static Optional<Coded> medicationOf(Connection connection, String subjectKey) throws SQLException {
        return Reads.first(connection, "SELECT medication_code, medication_display, medication_system FROM "
                + "medication_order WHERE subject_key = ? AND medication_code IS NOT NULL",
                row -> new Coded(row.getString(1), row.getString(2), row.getString(3)), subjectKey);
    }

    static void stop(Connection connection, PlanStep.StopMedication step, Instant now) throws SQLException {
        PendingMessages.cancelForSubject(connection, step.subjectKey(), List.of(step.mappingId()), step.reason(), now);
        record(connection, step.mappingId(), step.subjectKey(), step.patientKey(), step.state(), step.reason(), now);
    }

    /** The patient tapped "Stop these reminders": every reminder of the order still to go is cancelled, for good. */
    public static void stopByPatient(Connection connection, String subjectKey, Instant now) throws SQLException {
        String reason = "the patient stopped these reminders by WhatsApp";
        PendingMessages.cancelForSubject(connection, subjectKey, List.of(), reason, now);
        Writes.update(connection, "UPDATE medication_order SET state = 'STOPPED_BY_PATIENT', reason = ?, "
                + "updated_at = ? WHERE subject_key = ?", reason, Timestamp.from(now), subjectKey);
    }

    private static Optional<String> stateOf(Connection connection, String mappingId, String subjectKey)
            throws SQLException {
        return Reads.first(connection, "SELECT state FROM medication_order WHERE mapping_id = ? AND subject_key = ?",
                row -> row.getString(1), mappingId, subjectKey);
    }

    private static void record(Connection connection, String mappingId, String subjectKey, String patientKey,
            String state, String reason, Instant now) throws SQLException {
        if (Writes.update(connection, "UPDATE medication_order SET state = ?, reason = ?, patient_key = ?, "
                + "updated_at = ? WHERE mapping_id = ? AND subject_key = ?", state, reason, patientKey,
                Timestamp.from(now), mappingId, subjectKey) == 0) {
            Writes.update(connection, "INSERT INTO medication_order (mapping_id, subject_key, patient_key, state, "
                    + "reason, updated_at) VALUES (?, ?, ?, ?, ?, ?)", mappingId, subjectKey, patientKey, state,
                    reason, Timestamp.from(now));
        }
    }
}
