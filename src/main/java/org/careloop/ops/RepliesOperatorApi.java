package org.careloop.ops;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.careloop.event.PhoneNumbers;
import org.careloop.fhir.writeback.WritebackJobs;
import org.careloop.planning.Mapping;
import org.careloop.planning.MedicationOrders;
import org.careloop.replies.StaffQueue;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;

/**
 * What staff and operators do about patients' replies: {@code /api/replies/staff-queue} (a patient's own words,
 * replies CareLoop could not tie to one message, reschedule requests, answers for clinical review) and
 * {@code /api/fhir/writeback} (the jobs carrying replies to the FHIR server: see why one failed, retry it, or
 * cancel one that waits for a server that will not come back).
 */
public final class RepliesOperatorApi {

    private static final Set<String> JOB_STATES = Set.of("PENDING", "DONE", "FAILED", "SKIPPED", "CANCELLED");

    public record StaffItem(long id, String kind, String replyWamid, String fromPhone, String patientKey,
            String subjectKey, String text, Instant createdAt, String state) {
    }

    public record WritebackJobView(long id, String replyWamid, String action, String subjectKey, String state,
            int attempts, Instant nextAttemptAt, String lastError, String operationOutcome, String result,
            Instant createdAt, Instant updatedAt) {
    }

    private final DataSource dataSource;
    private final GroupCommitWriter writer;
    private final Clock clock;

    public RepliesOperatorApi(DataSource dataSource, GroupCommitWriter writer, Clock clock) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.clock = clock;
    }

    /**
     * GET /api/replies/staff-queue?state=OPEN&amp;limit=100: probable opt-outs and clinical reviews first, then
     * newest first.
     */
    public void staffQueue(Exchange exchange) throws SQLException {
        String state = Requests.state(exchange, "OPEN", Set.of("OPEN", "CLOSED"));
        JsonResponses.ok(exchange, Reads.list(dataSource, "SELECT id, kind, reply_wamid, from_phone, patient_key, "
                + "subject_key, text, created_at, state FROM staff_queue WHERE state = ? ORDER BY priority, id DESC "
                + "LIMIT ?",
                row -> new StaffItem(row.getLong(1), row.getString(2), row.getString(3),
                        // a number that may not be the patient's is shown masked
                        "MISMATCHED_SENDER".equals(row.getString(2)) ? PhoneNumbers.masked(row.getString(4))
                                : row.getString(4), row.getString(5), row.getString(6), row.getString(7),
                        row.getTimestamp(8).toInstant(), row.getString(9)), state, Requests.limit(exchange)));
    }

    /** A post-discharge check-in and the patient's answers to it. */
    public record Checkin(String subject, String mapping, String slot, Instant due, String state, Instant sentAt,
            String answer, String answerText, Instant answeredAt) {
    }

    /**
     * GET /api/checkins?patient=EPI|E1234567: the patient's check-ins in order, each with the answers to it (the
     * button's action, or the words), oldest first; a check-in without an answer is listed once.
     */
    public void checkins(Exchange exchange) throws SQLException {
        String patient = Requests.patient(exchange);
        JsonResponses.ok(exchange, Reads.list(dataSource, "SELECT o.subject_key, o.mapping_id, o.slot, o.due_at, "
                + "o.state, o.sent_at, i.reply_payload, i.reply_text, i.received_at FROM wa_outbound o "
                + "LEFT JOIN wa_inbound_message i ON i.context_wamid = o.wamid WHERE o.patient_key = ? "
                + "AND o.slot LIKE ? ORDER BY o.due_at, o.id, i.received_at LIMIT ?",
                row -> new Checkin(row.getString(1), row.getString(2), row.getString(3),
                        row.getTimestamp(4).toInstant(), row.getString(5), instant(row.getTimestamp(6)),
                        row.getString(7) == null ? null : row.getString(7).split(":", 2)[0], row.getString(8),
                        instant(row.getTimestamp(9))),
                patient, Mapping.CheckinDay.SLOT_PREFIX + "%", Requests.limit(exchange)));
    }

    /** A medication order's adherence: reminders that went out, and the patient's answers to them. */
    public record Adherence(String subject, long reminded, long taken, long skipped) {
    }

    /** GET /api/medications/adherence?patient=EPI|E1234567: per order of the patient, by order. */
    public void adherence(Exchange exchange) throws SQLException {
        String patient = Requests.patient(exchange);
        JsonResponses.ok(exchange, Reads.list(dataSource, "SELECT o.subject_key, SUM(CASE WHEN o.state IN ('SENT', "
                + "'DELIVERED', 'READ') THEN 1 ELSE 0 END), (SELECT COUNT(*) FROM medication_adherence a WHERE "
                + "a.subject_key = o.subject_key AND a.answer = 'TAKEN'), (SELECT COUNT(*) FROM medication_adherence a "
                + "WHERE a.subject_key = o.subject_key AND a.answer = 'SKIPPED') FROM wa_outbound o WHERE "
                + "o.patient_key = ? AND o.slot LIKE ? GROUP BY o.subject_key ORDER BY o.subject_key",
                row -> new Adherence(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)), patient,
                MedicationOrders.DOSE_SLOT_PREFIX + "%"));
    }

    private static Instant instant(Timestamp at) {
        return at == null ? null : at.toInstant();
    }

    /** POST /api/replies/staff-queue/{id}/close: staff have dealt with it (a clinical review's check-ins go on). */
    public void closeStaffItem(Exchange exchange) {
        long id = Requests.id(exchange);
        Instant now = clock.instant();
        if (!StoreCalls.await(writer.submit(connection -> StaffQueue.close(connection, id, now)))) {
            throw new BadRequestException(409, "staff queue item " + id + " does not exist or is not OPEN");
        }
        JsonResponses.ok(exchange, Map.of("id", id, "state", "CLOSED"));
    }

    /** GET /api/fhir/writeback?state=FAILED&amp;limit=100, newest first. */
    public void writebackJobs(Exchange exchange) throws SQLException {
        String state = Requests.state(exchange, "FAILED", JOB_STATES);
        List<WritebackJobView> jobs = Reads.list(dataSource, "SELECT id, reply_wamid, action, subject_key, state, "
                + "attempts, next_attempt_at, last_error, operation_outcome, result, created_at, updated_at FROM "
                + "fhir_writeback WHERE state = ? ORDER BY id DESC LIMIT ?", row -> new WritebackJobView(row.getLong(1),
                row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getInt(6),
                row.getTimestamp(7).toInstant(), row.getString(8), row.getString(9), row.getString(10),
                row.getTimestamp(11).toInstant(), row.getTimestamp(12).toInstant()), state, Requests.limit(exchange));
        JsonResponses.ok(exchange, jobs);
    }

    /** POST /api/fhir/writeback/{id}/retry: a FAILED or waiting job is tried again now. */
    public void retryWriteback(Exchange exchange) {
        long id = Requests.id(exchange);
        if (!StoreCalls.await(writer.submit(connection -> WritebackJobs.retry(connection, id, clock.instant())))) {
            throw new BadRequestException(409, "write-back job " + id + " does not exist or is not PENDING or FAILED");
        }
        JsonResponses.ok(exchange, Map.of("id", id, "state", "PENDING"));
    }

    /** POST /api/fhir/writeback/{id}/cancel: staff will do it by hand; CareLoop stops trying. */
    public void cancelWriteback(Exchange exchange) {
        long id = Requests.id(exchange);
        Timestamp now = Timestamp.from(clock.instant());
        StoreCalls.changeOne(writer, id, "UPDATE fhir_writeback SET state = 'CANCELLED', last_error = 'cancelled by an operator', "
                + "updated_at = ? WHERE id = ? AND state IN ('PENDING', 'FAILED')", "write-back job " + id
                + " does not exist or is not PENDING or FAILED", now);
        JsonResponses.ok(exchange, Map.of("id", id, "state", "CANCELLED"));
    }
}
