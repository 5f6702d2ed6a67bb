package org.careloop.fhir.writeback;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.careloop.queue.WorkQueue;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * Write-back jobs in line on their queue ({@link #QUEUE}), an appointment's in order: the job's row keeps what
 * operators read (state, attempts, the last error, when it is due); the queue entry is when it is worked.
 */
public final class WritebackJobs {

    /** The queue of write-back jobs (by id), keyed by the appointment or patient they change. */
    public static final String QUEUE = "fhir-writebacks";

    private WritebackJobs() {
    }

    /** Adds a reply's job, once per reply and action, and puts it in line; in the caller's transaction. */
    public static void add(Connection connection, String replyWamid, String action, String subject, String patient,
            String detail, Instant now) throws SQLException {
        Timestamp at = Timestamp.from(now);
        if (Writes.update(connection, "INSERT INTO fhir_writeback (reply_wamid, action, subject_key, patient_key, "
                + "detail, state, next_attempt_at, created_at, updated_at) SELECT ?, ?, ?, ?, ?, 'PENDING', ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM fhir_writeback WHERE reply_wamid = ? AND action = ?)", replyWamid,
                action, subject, patient, detail, at, at, at, replyWamid, action) == 1) {
            long id = Reads.first(connection, "SELECT id FROM fhir_writeback WHERE reply_wamid = ? AND action = ?",
                    row -> row.getLong(1), replyWamid, action).orElseThrow();
            WorkQueue.enqueue(connection, QUEUE, subject, String.valueOf(id), now);
        }
    }

    /** A FAILED or waiting job is tried again now (an operator's decision). Returns whether there was one. */
    public static boolean retry(Connection connection, long id, Instant now) throws SQLException {
        Timestamp at = Timestamp.from(now);
        if (Writes.update(connection, "UPDATE fhir_writeback SET state = 'PENDING', next_attempt_at = ?, "
                + "updated_at = ? WHERE id = ? AND state IN ('PENDING', 'FAILED')", at, at, id) == 0) {
            return false;
        }
        Optional<String> subject = Reads.first(connection, "SELECT subject_key FROM fhir_writeback WHERE id = ?",
                row -> row.getString(1), id);
        WorkQueue.putBack(connection, QUEUE, subject.orElse(null), String.valueOf(id), now);
        return true;
    }

    /** The job goes back in line for {@code due}: the server could not take it now. */
    static void later(Connection connection, WritebackJob job, Instant due, Instant now) throws SQLException {
        WorkQueue.enqueueAt(connection, QUEUE, job.subjectKey(), String.valueOf(job.id()), now, due);
    }
}
