package org.careloop.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.careloop.event.CareEventStore;
import org.careloop.hl7.intake.AckCode;
import org.careloop.hl7.intake.Hl7Intake;
import org.careloop.hl7.intake.IntakeReply;
import org.careloop.hl7.journal.Hl7Journal;
import org.careloop.hl7.journal.JournalState;
import org.careloop.hl7.journal.JournalSummary;
import org.careloop.hl7.journal.RejectedMessages;
import org.careloop.hl7.journal.Rejection;

/**
 * What operators do through {@code /api}: see what arrived and how it ended, read a rejected message and replay it
 * (as sent, or corrected), and put a failed journal entry back in line. Each method answers one REST operation.
 */
public final class OperatorApi {

    private final Hl7Journal journal;
    private final RejectedMessages rejected;
    private final CareEventStore events;
    private final Hl7Intake intake;
    private final Clock clock;

    public OperatorApi(Hl7Journal journal, RejectedMessages rejected, CareEventStore events, Hl7Intake intake,
            Clock clock) {
        this.journal = journal;
        this.rejected = rejected;
        this.events = events;
        this.intake = intake;
        this.clock = clock;
    }

    /** GET /api/status: how many messages are in each state. */
    public void status(Exchange exchange) throws SQLException {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("journal", journal.countByState());
        status.put("careEvents", events.count());
        JsonResponses.ok(exchange, status);
    }

    /** GET /api/hl7/journal?state=FAILED&amp;limit=100; without a state, every entry; newest first. */
    public void listJournal(Exchange exchange) throws SQLException {
        String state = exchange.getMessage().getHeader("state", String.class);
        JsonResponses.ok(exchange, journal.list(state == null || state.isBlank() ? null : journalState(state),
                Requests.limit(exchange)));
    }

    /** GET /api/hl7/journal/{id}: the entry and the event it became. */
    public void journalEntry(Exchange exchange) throws SQLException {
        long id = Requests.id(exchange);
        JournalSummary entry = journal.find(id)
                .orElseThrow(() -> new BadRequestException(404, "no journal entry " + id));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entry", entry);
        body.put("events", events.byJournalId(id));
        JsonResponses.ok(exchange, body);
    }

    /** POST /api/hl7/journal/{id}/reprocess: a FAILED or IGNORED entry goes back to be processed again. */
    public void reprocess(Exchange exchange) throws Exception {
        long id = Requests.id(exchange);
        if (!journal.requeue(id, clock.instant())) {
            throw new BadRequestException(409, "journal entry " + id + " does not exist or is not FAILED or IGNORED");
        }
        JsonResponses.ok(exchange, Map.of("id", id, "state", JournalState.RECEIVED));
    }

    /** GET /api/hl7/rejected?limit=100 */
    public void listRejected(Exchange exchange) throws SQLException {
        JsonResponses.ok(exchange, rejected.list(Requests.limit(exchange)));
    }

    /** GET /api/hl7/rejected/{id}: the rejection and the message as received. */
    public void rejectedEntry(Exchange exchange) throws SQLException {
        Rejection rejection = rejection(exchange);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rejection", rejection);
        body.put("message", rejection.text());
        JsonResponses.ok(exchange, body);
    }

    /**
     * POST /api/hl7/rejected/{id}/replay: runs the message through intake again, as it was received or, when the
     * request has a body, as corrected there (in the charset its MSH-18 names, UTF-8 by default).
     */
    public void replay(Exchange exchange) throws SQLException {
        Rejection rejection = rejection(exchange);
        byte[] corrected = exchange.getMessage().getBody(byte[].class);
        byte[] message = corrected == null || corrected.length == 0 ? rejection.raw() : corrected;
        IntakeReply reply = intake.receive(message, "operator-replay");
        String outcome = reply.code() + ": " + reply.outcome();
        rejected.markReplayed(rejection.id(), clock.instant(), outcome);
        // the request is an HL7 message, so this verb's binding is off
        JsonResponses.okWritten(exchange, new ReplayResult(reply.code(), reply.outcome(), reply.journalId(),
                reply.rejectedId()));
    }

    /** What intake answered a replayed message, and where it is now (the journal, or rejected again). */
    public record ReplayResult(AckCode ack, String outcome, Long journalId, Long rejectedId) {
    }

    /** GET /api/events?limit=50&amp;before={id}: the latest CareEvents, newest first. */
    public void listEvents(Exchange exchange) throws SQLException {
        long before = Requests.longHeader(exchange, "before", 0);
        JsonResponses.ok(exchange, events.latest(Requests.limit(exchange), before));
    }

    /** Answers a {@link BadRequestException} thrown by any operation. */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof BadRequestException bad) {
            JsonResponses.error(exchange, bad.status(), bad.getMessage());
        } else if (cause instanceof JsonProcessingException) {
            // the REST binding could not read the request into the verb's type (its message may quote the body)
            JsonResponses.error(exchange, 400, "the body must be a JSON object");
        } else {
            JsonResponses.error(exchange, 500, "internal error: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()));
        }
    }

    private Rejection rejection(Exchange exchange) throws SQLException {
        long id = Requests.id(exchange);
        return rejected.find(id).orElseThrow(() -> new BadRequestException(404, "no rejected message " + id));
    }

    private static JournalState journalState(String value) {
        try {
            return JournalState.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(400, "state must be one of RECEIVED, PROCESSED, FAILED, IGNORED");
        }
    }
}
