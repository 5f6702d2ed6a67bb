package org.careloop.fhir.writeback;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.careloop.fhir.writeback.AppointmentChange.NotApplicable;
import org.careloop.store.Columns;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.queue.QueueHeaders;
import org.careloop.queue.QueueTransaction;
import org.careloop.queue.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-back stage's step (routes/replies.yaml): the job a queue entry names is carried out by
 * {@link FhirWriteback} and its outcome recorded with the entry's completion. The server down, a timeout, a 5xx, 408,
 * 423, 429, or conflicts beyond the bound: the job goes back in line with capped backoff for as long as it takes (an
 * operator can cancel). Any other 4xx, or a reply that cannot apply (no such Appointment, already fulfilled): FAILED,
 * with the server's OperationOutcome kept for the operator. In mode {@code none} jobs are marked SKIPPED: the
 * replies stay recorded and in the staff queue. The call is made outside the store's transaction (the route's
 * consumer runs it on threads of its own), and a job the engine died while carrying out is carried out again: what
 * it wrote is found in place and not written twice.
 */
public final class WritebackWorker {

    private static final Logger LOG = LoggerFactory.getLogger(WritebackWorker.class);
    private static final Set<Integer> TRANSIENT = Set.of(408, 409, 412, 423, 429);
    private static final int OPERATION_OUTCOME_WIDTH = 100_000;

    /** How an attempt ended; {@code written} is the Appointment version it created, if any. */
    private record Outcome(String state, String result, String error, String operationOutcome, String written) {

        Outcome(String state, String result, String error, String operationOutcome) {
            this(state, result, error, operationOutcome, null);
        }

        static Outcome retry(String error) {
            return new Outcome("PENDING", null, error, null);
        }
    }

    private final FhirWriteback writeback;
    private final FhirContext fhir;
    private final DataSource dataSource;
    private final RetryPolicy retry;
    private final Clock clock;

    public WritebackWorker(FhirWriteback writeback, FhirContext fhir, DataSource dataSource, RetryPolicy retry,
            Clock clock) {
        this.writeback = writeback;
        this.fhir = fhir;
        this.dataSource = dataSource;
        this.retry = retry;
        this.clock = clock;
    }

    /**
     * Carries out the job the entry names, if it is still waiting and due: one cancelled, done, or put in line again
     * by an operator since (another entry then stands for it) is left alone.
     */
    public void perform(Exchange exchange) throws SQLException {
        long id = Long.parseLong(exchange.getIn().getBody(String.class));
        Instant now = clock.instant();
        Optional<WritebackJob> due = Reads.first(dataSource, "SELECT id, reply_wamid, action, subject_key, "
                + "patient_key, detail, attempts, created_at FROM fhir_writeback WHERE id = ? AND state = 'PENDING' "
                + "AND next_attempt_at <= ?", row -> new WritebackJob(row.getLong(1), row.getString(2),
                row.getString(3), row.getString(4), row.getString(5), row.getString(6), row.getInt(7),
                row.getTimestamp(8).toInstant()), id, Timestamp.from(now));
        if (due.isEmpty()) {
            return;
        }
        WritebackJob job = due.get();
        Outcome outcome = attempt(job);
        Instant finished = clock.instant();
        Instant next = outcome.state().equals("PENDING") ? retry.next(finished, job.attempts() + 1) : finished;
        QueueTransaction.write(exchange, connection -> {
            if (outcome.written() != null) {
                OwnVersions.record(connection, outcome.written(), job.action(), finished);
            }
            Writes.update(connection, "UPDATE fhir_writeback SET state = ?, attempts = attempts + 1, "
                    + "next_attempt_at = ?, last_error = ?, operation_outcome = ?, result = ?, updated_at = ? "
                    + "WHERE id = ? AND state = 'PENDING'", outcome.state(), Timestamp.from(next),
                    Columns.reason(outcome.error()), Columns.fit(outcome.operationOutcome(), OPERATION_OUTCOME_WIDTH),
                    Columns.reason(outcome.result()), Timestamp.from(finished), job.id());
            if (outcome.state().equals("PENDING")) {
                WritebackJobs.later(connection, job, next, finished);
            }
        });
    }

    /** The entry was parked by its queue (the job could not even be read or recorded): the job is FAILED. */
    public void parked(Exchange exchange) throws SQLException {
        long id = Long.parseLong(exchange.getIn().getBody(String.class));
        String reason = exchange.getIn().getHeader(QueueHeaders.FAILURE, String.class);
        Timestamp now = Timestamp.from(clock.instant());
        QueueTransaction.write(exchange, connection -> Writes.update(connection, "UPDATE fhir_writeback SET "
                + "state = 'FAILED', last_error = ?, updated_at = ? WHERE id = ? AND state = 'PENDING'",
                Columns.reason(reason), now, id));
    }

    private Outcome attempt(WritebackJob job) {
        if (writeback.mode() == FhirWriteback.Mode.NONE) {
            return new Outcome("SKIPPED", null, "careloop.fhir.writeback-mode=none: recorded, not written", null);
        }
        try {
            FhirWriteback.Performed performed = writeback.perform(job);
            LOG.info("Write-back {} ({}) done: {}", job.id(), job.action(), performed.description());
            return new Outcome("DONE", performed.description(), null, null, performed.appointmentVersion());
        } catch (NotApplicable e) {
            LOG.warn("Write-back {} ({}) failed: {}", job.id(), job.action(), e.getMessage());
            return new Outcome("FAILED", null, e.getMessage(), null);
        } catch (FhirClientConnectionException e) {
            LOG.warn("Write-back {} ({}) will be retried: the FHIR server did not answer", job.id(), job.action());
            return Outcome.retry("the FHIR server did not answer: " + e.getMessage());
        } catch (BaseServerResponseException e) {
            int status = e.getStatusCode();
            if (status >= 500 || TRANSIENT.contains(status)) {
                LOG.warn("Write-back {} ({}) will be retried: HTTP {}", job.id(), job.action(), status);
                return Outcome.retry("HTTP " + status + ": " + e.getMessage());
            }
            LOG.warn("Write-back {} ({}) refused by the FHIR server: HTTP {}", job.id(), job.action(), status);
            return new Outcome("FAILED", null, "HTTP " + status + ": " + e.getMessage(), operationOutcome(e));
        } catch (RuntimeException e) {
            LOG.warn("Write-back {} ({}) will be retried: {}", job.id(), job.action(), e.getClass().getSimpleName());
            return Outcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private String operationOutcome(BaseServerResponseException e) {
        if (e.getResponseBody() != null && !e.getResponseBody().isBlank()) {
            return e.getResponseBody();
        }
        return e.getOperationOutcome() == null ? null
                : fhir.newJsonParser().encodeResourceToString(e.getOperationOutcome());
    }
}
