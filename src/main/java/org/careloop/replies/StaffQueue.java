package org.careloop.replies;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.consent.ConsentStore;
import org.careloop.fhir.writeback.WritebackJobs;
import org.careloop.planning.Mapping;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.whatsapp.outbox.PendingMessages;

/**
 * What staff must look at ({@code staff_queue}, the replies' own table): items added as replies are handled, closed
 * by staff. A worrying answer is a clinical review: it also goes to the care team through the FHIR server (an urgent
 * Task or a Flag), and the check-ins still planned for its subject wait until staff close it.
 */
public final class StaffQueue {

    /** Staff queue items listed before the others. */
    private static final List<String> FIRST_FOR_STAFF = List.of("PROBABLE_OPT_OUT", "CLINICAL_REVIEW");
    /** Why a check-in waits: the reason on its outbox row while it is paused. */
    static final String PAUSED = "paused: a worrying answer is with the care team (clinical review in the staff queue)";

    private StaffQueue() {
    }

    /** An item for staff, once per reply and kind (a duplicated webhook adds nothing). */
    static void add(Connection connection, String kind, String replyWamid, String phone, String patient,
            String subject, String text, Instant now) throws SQLException {
        Writes.update(connection, "INSERT INTO staff_queue (kind, reply_wamid, from_phone, patient_key, subject_key, "
                + "text, created_at, state, priority) SELECT ?, ?, ?, ?, ?, ?, ?, 'OPEN', ? WHERE NOT EXISTS "
                + "(SELECT 1 FROM staff_queue WHERE reply_wamid = ? AND kind = ?)", kind, replyWamid, phone, patient,
                subject, text, Timestamp.from(now), FIRST_FOR_STAFF.contains(kind) ? 0 : 1, replyWamid, kind);
    }

    /**
     * A worrying answer: a clinical review at the top of the staff queue, a request to the care team through the
     * FHIR server ({@code detail} says what the patient answered), and the subject's check-ins paused.
     */
    static void addClinicalReview(Connection connection, String replyWamid, String phone, String patient,
            String subject, String text, String detail, Instant now) throws SQLException {
        add(connection, "CLINICAL_REVIEW", replyWamid, phone, patient, subject, text, now);
        WritebackJobs.add(connection, replyWamid, "CLINICAL_REVIEW", subject, patient, detail, now);
        if (subject != null) {
            PendingMessages.pause(connection, subject, Mapping.CheckinDay.SLOT_PREFIX, PAUSED, now);
        }
    }

    /**
     * Staff have dealt with an item. Closing the last open clinical review of a subject lets its paused check-ins go
     * on (held instead when the patient no longer consents). Returns false when no open item has this id.
     */
    public static boolean close(Connection connection, long id, Instant now) throws SQLException {
        Optional<String[]> item = Reads.first(connection, "SELECT kind, subject_key FROM staff_queue WHERE id = ? "
                + "AND state = 'OPEN'", row -> new String[] {row.getString(1), row.getString(2)}, id);
        if (item.isEmpty()) {
            return false;
        }
        Writes.update(connection, "UPDATE staff_queue SET state = 'CLOSED' WHERE id = ?", id);
        String subject = item.get()[1];
        if ("CLINICAL_REVIEW".equals(item.get()[0]) && subject != null && Reads.first(connection, "SELECT 1 FROM "
                + "staff_queue WHERE subject_key = ? AND kind = 'CLINICAL_REVIEW' AND state = 'OPEN'", row -> true,
                subject).isEmpty()) {
            Optional<String[]> recipient = PendingMessages.pausedRecipient(connection, subject, PAUSED);
            if (recipient.isPresent()) {
                PendingMessages.resume(connection, subject, PAUSED, ConsentStore.allows(connection,
                        recipient.get()[0], recipient.get()[1]), ConsentStore.noOptIn(), now);
            }
        }
        return true;
    }
}
