package org.careloop.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.event.CareEvent;
import org.careloop.event.EventJson;
import org.careloop.event.EventKind;
import org.careloop.store.Reads;

/**
 * After a patient update (A08, A31, a FHIR Patient), the patient's messages that have not gone out are written again
 * as their appointments' latest events would plan them now, about the patient as the update tells them: a new
 * language (or the mapping's fallback when the template has not got it), a new name, a new number.
 */
final class PendingRefresh {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final String APPOINTMENT = "appointment:";

    private PendingRefresh() {
    }

    static List<PlanStep> after(Connection connection, Planner planner, CareEvent update, Instant now)
            throws SQLException, IOException {
        if (update.kind() != EventKind.PATIENT_UPDATED || update.patient().key() == null) {
            return List.of();
        }
        List<PlanStep> steps = new ArrayList<>();
        for (String subject : Reads.list(connection, "SELECT DISTINCT subject_key FROM wa_outbound WHERE patient_key = ? "
                + "AND state IN ('PLANNED', 'SUPPRESSED') AND business_initiated AND subject_key LIKE ?",
                row -> row.getString(1), update.patient().key(), APPOINTMENT + "%")) {
            Optional<String> latest = Reads.first(connection, "SELECT payload FROM care_event WHERE appointment_key = ? "
                    + "ORDER BY id DESC LIMIT 1", row -> row.getString(1), subject.substring(APPOINTMENT.length()));
            if (latest.isPresent()) {
                CareEvent earlier = JSON.readValue(latest.get(), CareEvent.class);
                steps.addAll(planner.refresh(earlier.withPatient(earlier.patient().updatedBy(update.patient())), now));
            }
        }
        return steps;
    }
}
