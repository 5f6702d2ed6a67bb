package org.careloop.whatsapp.dispatch;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.careloop.queue.RetryPolicy;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.StoreFailures;
import org.careloop.whatsapp.api.CloudApiClient;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.api.ErrorClass;
import org.careloop.whatsapp.api.SendOutcome;
import org.careloop.whatsapp.outbox.OutboundMessage;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.outbox.OutcomeUnknown;
import org.careloop.whatsapp.outbox.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch route's step (routes/whatsapp.yaml): a message the outbox consumer claimed and handed on is sent to
 * the Cloud API, its recipient held to the pair limit, and its outcome recorded durably before the sender thread
 * moves on.
 *
 * <p>What an error does depends on its class ({@link ErrorClass}): retry with backoff, back off one recipient, stop
 * sending to a number, pause a template, or open the circuit and stop everything ({@link SendGuards}, the consumer's
 * gate). Alerts are logged at ERROR with the prefix "ALERT", by error code, never with the recipient or the message.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final SendGuards guards;
    private final CloudApiClient client;
    private final GroupCommitWriter writer;
    private final PairLimiter pairs;
    private final RetryPolicy retries;
    private final OutcomeUnknown unknownOutcome;
    private final Clock clock;

    public Dispatcher(SendGuards guards, CloudApiClient client, GroupCommitWriter writer, Duration pairInterval,
            RetryPolicy retries, OutcomeUnknown unknownOutcome, Clock clock) {
        this.guards = guards;
        this.client = client;
        this.writer = writer;
        this.pairs = new PairLimiter(pairInterval);
        this.retries = retries;
        this.unknownOutcome = unknownOutcome;
        this.clock = clock;
    }

    /** Before the first send: the circuit and paused templates are read back, and recent sends seed the pair limiter. */
    public void load(Duration pairInterval) throws Exception {
        Instant now = clock.instant();
        guards.load();
        guards.circuit().ifPresent(c -> LOG.error("ALERT: WhatsApp sending is stopped since {} (error {}): {}",
                c.openedAt(), c.errorCode(), c.reason()));
        writer.submit(connection -> Reads.list(connection, "SELECT recipient, MAX(sent_at) FROM wa_outbound "
                + "WHERE sent_at > ? GROUP BY recipient", row -> {
                    pairs.sentBefore(row.getString(1), row.getTimestamp(2).toInstant());
                    return null;
                }, java.sql.Timestamp.from(now.minus(pairInterval)))).get(STORE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends the claimed message (the body), unless its recipient's pair interval says later. */
    public void send(Exchange exchange) {
        OutboundMessage message = exchange.getIn().getBody(OutboundMessage.class);
        Optional<Instant> busy = pairs.reserve(message.recipient(), clock.instant());
        if (busy.isPresent()) {
            record(message, Transition.deferTo(busy.get(), "pair limit: one message per recipient per interval"),
                    null);
            return;
        }
        send(message);
    }

    private void send(OutboundMessage message) {
        SendOutcome outcome;
        pairs.sending(message.recipient(), clock.instant());
        try {
            outcome = client.send(CloudApiRequests.withCallbackData(message.requestJson(), "careloop:" + message.id()));
        } catch (RuntimeException unexpected) {
            outcome = new SendOutcome.OutcomeUnknown(unexpected.getClass().getSimpleName());
        }
        Instant now = clock.instant();
        if (outcome instanceof SendOutcome.Accepted accepted) {
            pairs.accepted(message.recipient());
            record(message, Transition.accepted(accepted.wamid()), null);
        } else if (outcome instanceof SendOutcome.NotSent notSent) {
            record(message, retryOrGiveUp(message, now, null, "not sent: " + notSent.reason()), null);
        } else if (outcome instanceof SendOutcome.OutcomeUnknown unknown) {
            LOG.warn("WhatsApp message {}: sent, but no answer ({}); {}", message.id(), unknown.reason(),
                    unknownOutcome == OutcomeUnknown.RESEND ? "sending again" : "held as UNKNOWN");
            record(message, unknownOutcome == OutcomeUnknown.RESEND
                    ? retryOrGiveUp(message, now, null, "no answer: " + unknown.reason())
                    : Transition.unknown("sent, but no answer came (" + unknown.reason() + ")"), null);
        } else {
            refused(message, (SendOutcome.Refused) outcome, now);
        }
    }

    private void refused(OutboundMessage message, SendOutcome.Refused refused, Instant now) {
        int code = refused.errorCode();
        String reason = "error " + code + ": " + refused.title();
        switch (refused.errorClass()) {
            case RETRY -> record(message, retryOrGiveUp(message, now, code, reason), null);
            case RECIPIENT_BACKOFF -> record(message, Transition.retryAt(pairs.backOff(message.recipient(), now),
                    code, reason), null);
            case RECIPIENT_UNREACHABLE -> record(message, Transition.failed(code, reason),
                    connection -> Outbox.markUnreachable(connection, message.recipient(), code, now));
            case TEMPLATE_REJECTED -> {
                LOG.error("ALERT: WhatsApp template {} ({}) paused after error {}: fix it in WhatsApp Manager or the "
                        + "mappings, then resume it", message.templateName(), message.templateLanguage(), code);
                record(message, Transition.failed(code, reason), message.templateName() == null ? null
                        : connection -> SendGuards.pauseTemplate(connection, message.templateName(),
                                message.templateLanguage(), code, reason, now));
            }
            case STOP_ALL -> {
                LOG.error("ALERT: WhatsApp sending stopped after error {} (token, account or number): fix it, then "
                        + "close the circuit (POST /api/whatsapp/circuit/close)", code);
                record(message, Transition.deferTo(now, "sending stopped: " + reason),
                        connection -> guards.openCircuit(connection, code, reason, now));
            }
            case OUTSIDE_WINDOW -> record(message, Transition.failed(code,
                    "outside the 24 h window: only a template can be sent"), null);
            default -> record(message, Transition.failed(code, reason), null);
        }
    }

    private Transition retryOrGiveUp(OutboundMessage message, Instant now, Integer code, String reason) {
        return retries.exhausted(message.attempts())
                ? Transition.failed(code, reason + " (gave up after " + message.attempts() + " attempts)")
                : Transition.retryAt(retries.next(now, message.attempts()), code, reason);
    }

    /** A change to make in the same transaction as the row's transition. */
    @FunctionalInterface
    private interface AlsoWrite {
        void apply(java.sql.Connection connection) throws SQLException;
    }

    /** Records the transition durably (and whatever goes with it) before the sender thread moves on. */
    private void record(OutboundMessage message, Transition transition, AlsoWrite alsoWrite) {
        Instant now = clock.instant();
        try {
            boolean mine = writer.submit(connection -> {
                boolean finished = Outbox.finishClaim(connection, message, transition, now);
                if (finished && alsoWrite != null) {
                    alsoWrite.apply(connection);
                }
                return finished;
            }).get(STORE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!mine) {
                LOG.warn("WhatsApp message {}: its claim was taken over before the outcome was recorded",
                        message.id());
            }
            LOG.debug("WhatsApp message {}: {}{}", message.id(), transition.state(),
                    transition.errorCode() == null ? "" : " (error " + transition.errorCode() + ")");
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("WhatsApp message {}: the outcome ({}) could not be recorded ({}); it stays CLAIMED and is "
                    + "treated as outcome unknown at the next start", message.id(), transition.state(),
                    StoreFailures.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
