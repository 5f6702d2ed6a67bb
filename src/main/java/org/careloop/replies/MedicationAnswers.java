package org.careloop.replies;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import org.careloop.planning.MedicationOrders;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * The buttons of a medication reminder: Taken and Skip recorded against the dose they answer
 * ({@code medication_adherence}, the replies' own table), Problem to clinical review with the order, Stop ending the
 * order's reminders for good.
 */
final class MedicationAnswers {

    static final Set<String> ACTIONS = Set.of("TAKEN", "SKIP", "PROBLEM", "STOP_REMINDER");

    private MedicationAnswers() {
    }

    static void answer(Connection connection, String replyWamid, String contextWamid, String phone, String patient,
            String subject, String action, Instant now) throws SQLException {
        String dose = contextWamid == null ? null : Reads.first(connection, "SELECT slot FROM wa_outbound WHERE "
                + "wamid = ?", row -> row.getString(1), contextWamid).orElse(null);
        switch (action) {
            case "TAKEN", "SKIP" -> Writes.update(connection, "INSERT INTO medication_adherence (reply_wamid, "
                    + "subject_key, patient_key, dose_slot, answer, answered_at) SELECT ?, ?, ?, ?, ?, ? WHERE NOT "
                    + "EXISTS (SELECT 1 FROM medication_adherence WHERE reply_wamid = ?)", replyWamid, subject,
                    patient, dose, "TAKEN".equals(action) ? "TAKEN" : "SKIPPED", Timestamp.from(now), replyWamid);
            case "PROBLEM" -> StaffQueue.addClinicalReview(connection, replyWamid, phone, patient, subject, action,
                    "The patient reported a problem by WhatsApp with the medication order " + subject
                            + (dose == null ? "" : " (the reminder " + dose + ")"), now);
            default -> MedicationOrders.stopByPatient(connection, subject, now);
        }
    }
}
