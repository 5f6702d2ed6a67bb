package org.careloop.replies;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import org.careloop.fhir.writeback.WritebackJobs;
import org.careloop.planning.MedicationOrders;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * The buttons of a medication reminder: Taken and Skip recorded against the dose they answer
 * ({@code medication_adherence}, the replies' own table; and written back as a FHIR MedicationStatement when the
 * site asks for it), Problem to clinical review with the order, Stop ending the order's reminders for good.
 */
final class MedicationAnswers {

    static final Set<String> ACTIONS = Set.of("TAKEN", "SKIP", "PROBLEM", "STOP_REMINDER");

    private MedicationAnswers() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param writeBack Taken and Skip become MedicationStatements on the FHIR server too */
    static void answer(Connection connection, String replyWamid, String contextWamid, String phone, String patient,
            String subject, String action, boolean writeBack, Instant now) throws SQLException {
        String dose = contextWamid == null ? null : Reads.first(connection, "SELECT slot FROM wa_outbound WHERE "
                + "wamid = ?", row -> row.getString(1), contextWamid).orElse(null);
        switch (action) {
            case "TAKEN", "SKIP" -> {
                String answer = "TAKEN".equals(action) ? "TAKEN" : "SKIPPED";
                Writes.update(connection, "INSERT INTO medication_adherence (reply_wamid, subject_key, patient_key, "
                        + "dose_slot, answer, answered_at) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
                        + "medication_adherence WHERE reply_wamid = ?)", replyWamid, subject, patient, dose, answer,
                        Timestamp.from(now), replyWamid);
                if (writeBack) {
                    WritebackJobs.add(connection, replyWamid, answer, subject, patient, statement(connection, subject,
                            dose), now);
                }
            }
            case "PROBLEM" -> StaffQueue.addClinicalReview(connection, replyWamid, phone, patient, subject, action,
                    "The patient reported a problem by WhatsApp with the medication order " + subject
                            + (dose == null ? "" : " (the reminder " + dose + ")"), now);
            default -> MedicationOrders.stopByPatient(connection, subject, now);
        }
    }

    /** What the MedicationStatement says: the dose answered and the drug of the order. */
    private static String statement(Connection connection, String subject, String dose) throws SQLException {
        ObjectNode detail = JSON.createObjectNode().put("dose", dose);
        MedicationOrders.medicationOf(connection, subject).ifPresent(drug -> detail.put("code", drug.code())
                .put("display", drug.display()).put("system", drug.system()));
        return detail.toString();
    }
}
