package org.careloop.fhir.writeback;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.careloop.fhir.writeback.AppointmentChange.NotApplicable;
import org.careloop.store.Columns;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.StoreFailures;
import org.careloop.store.Writes;
import org.careloop.queue.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the write-back jobs like the outbox: due jobs oldest first, each carried out by {@link FhirWriteback} and its
 * outcome committed. The server down, a timeout, a 5xx, 408, 423, 429, or conflicts beyond the bound: retried with
 * capped backoff for as long as it takes (an operator can cancel). Any other 4xx, or a reply that cannot apply
 * (no such Appointment, already fulfilled): FAILED, with the server's OperationOutcome kept for the operator.
 * In mode {@code none} jobs are marked SKIPPED: the replies stay recorded and in the staff queue.
 */
public final class WritebackWorker implements Processor {

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
    private final GroupCommitWriter writer;
    private final RetryPolicy retry;
    private final int batchSize;
    private final Clock clock;

    public WritebackWorker(FhirWriteback writeback, FhirContext fhir, DataSource dataSource, GroupCommitWriter writer,
            RetryPolicy retry, int batchSize, Clock clock) {
        this.writeback = writeback;
        this.fhir = fhir;
        this.dataSource = dataSource;
        this.writer = writer;
        this.retry = retry;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws SQLException, InterruptedException {
        List<WritebackJob> due = Reads.list(dataSource, "SELECT id, reply_wamid, action, subject_key, patient_key, "
                + "detail, attempts, created_at FROM fhir_writeback WHERE state = 'PENDING' AND next_attempt_at <= ? "
                + "ORDER BY next_attempt_at, id LIMIT ?", row -> new WritebackJob(row.getLong(1), row.getString(2),
                row.getString(3), row.getString(4), row.getString(5), row.getString(6), row.getInt(7),
                row.getTimestamp(8).toInstant()), Timestamp.from(clock.instant()), batchSize);
        for (WritebackJob job : due) {
            Outcome outcome = attempt(job);
            record(job, outcome);
            if (outcome.state().equals("PENDING")) {
                break; // the server is struggling: the other jobs wait for their turn instead of piling on
            }
        }
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, !due.isEmpty());
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

    private void record(WritebackJob job, Outcome outcome) throws InterruptedException {
        Instant now = clock.instant();
        Instant next = outcome.state().equals("PENDING") ? retry.next(now, job.attempts() + 1) : now;
        try {
            writer.submit(connection -> {
                if (outcome.written() != null) {
                    OwnVersions.record(connection, outcome.written(), job.action(), now);
                }
                return Writes.update(connection, "UPDATE fhir_writeback SET state = ?, attempts = attempts + 1, "
                        + "next_attempt_at = ?, last_error = ?, operation_outcome = ?, result = ?, updated_at = ? "
                        + "WHERE id = ? AND state = 'PENDING'", outcome.state(), Timestamp.from(next),
                        Columns.reason(outcome.error()), Columns.fit(outcome.operationOutcome(),
                                OPERATION_OUTCOME_WIDTH), Columns.reason(outcome.result()), Timestamp.from(now),
                        job.id());
            }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the job stays PENDING and is carried out again; what it wrote is found in place and not written twice
            LOG.warn("Could not record write-back {}: {}", job.id(), StoreFailures.describe(e));
        }
    }
}
