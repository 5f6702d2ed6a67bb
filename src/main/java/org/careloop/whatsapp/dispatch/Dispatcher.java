package org.careloop.whatsapp.dispatch;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.careloop.queue.QueueComponent;
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
import org.careloop.whatsapp.outbox.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due outbox rows to the Cloud API, one scheduler poll at a time: claims a batch (committed before anything is
 * sent), paces the sends to the configured per-number rate, holds each recipient to the pair limit, runs up to
 * {@code maxInFlight} requests at once, and records each outcome durably before the next claim can see the row.
 *
 * <p>What an error does depends on its class ({@link ErrorClass}): retry with backoff, back off one recipient, stop
 * sending to a number, pause a template, or open the circuit and stop everything. Alerts are logged at ERROR with the
 * prefix "ALERT", by error code, never with the recipient or the message.
 */
public final class Dispatcher implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    /** What to do with a message whose outcome is unknown (timeout after sending, crash while claimed). */
    public enum UnknownOutcome {
        /** Hold it as UNKNOWN for an operator: never risk a second copy. */
        HOLD,
        /** Send it again: the patient may get it twice. */
        RESEND
    }

    private final Outbox outbox;
    private final SendGuards guards;
    private final CloudApiClient client;
    private final GroupCommitWriter writer;
    private final SendPacer pacer;
    private final PairLimiter pairs;
    private final RetryPolicy retries;
    private final UnknownOutcome unknownOutcome;
    private final Semaphore inFlight;
    private final int claimBatch;
    private final ExecutorService senders;
    private final QueueComponent queues;
    private final Duration idle;
    private final Clock clock;
    private volatile boolean stopping;

    public Dispatcher(Outbox outbox, SendGuards guards, CloudApiClient client, GroupCommitWriter writer,
            double perSecond, Duration pairInterval, RetryPolicy retries, UnknownOutcome unknownOutcome,
            int maxInFlight, ExecutorService senders, QueueComponent queues, Duration idle, Clock clock) {
        this.outbox = outbox;
        this.guards = guards;
        this.client = client;
        this.writer = writer;
        // the burst covers 50 ms of sending: enough to make up the pause while a batch is claimed, never more
        this.pacer = new SendPacer(perSecond, perSecond / 20);
        this.pairs = new PairLimiter(pairInterval);
        this.retries = retries;
        this.unknownOutcome = unknownOutcome;
        this.inFlight = new Semaphore(maxInFlight);
        this.claimBatch = (int) Math.max(1, Math.ceil(perSecond / 4));
        this.senders = senders;
        this.queues = queues;
        this.idle = idle;
        this.clock = clock;
    }

    /**
     * Before the first send: rows left CLAIMED by a previous run become UNKNOWN (or PLANNED under RESEND), the circuit
     * is read back, and recent sends seed the pair limiter.
     */
    public void recover(Duration pairInterval) throws Exception {
        Instant now = clock.instant();
        int abandoned = await(outbox.recoverAbandonedClaims(unknownOutcome == UnknownOutcome.RESEND, now));
        if (abandoned > 0) {
            LOG.warn("{} WhatsApp message(s) were being sent when the engine stopped: {}", abandoned,
                    unknownOutcome == UnknownOutcome.RESEND ? "planned again" : "held as UNKNOWN for an operator");
        }
        guards.load();
        guards.circuit().ifPresent(c -> LOG.error("ALERT: WhatsApp sending is stopped since {} (error {}): {}",
                c.openedAt(), c.errorCode(), c.reason()));
        writer.submit(connection -> Reads.list(connection, "SELECT recipient, MAX(sent_at) FROM wa_outbound "
                + "WHERE sent_at > ? GROUP BY recipient", row -> {
                    pairs.sentBefore(row.getString(1), row.getTimestamp(2).toInstant());
                    return null;
                }, java.sql.Timestamp.from(now.minus(pairInterval)))).get();
    }

    /**
     * One scheduler poll: claim what is due and start sending it. With nothing to send it waits, at most the idle
     * delay, for a step to commit a message ({@link Outbox#DUE_SIGNAL}), and has the greedy scheduler poll again.
     */
    @Override
    public void process(Exchange exchange) throws InterruptedException {
        boolean worked = false;
        try {
            worked = dispatchDue();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not claim due WhatsApp messages, will retry: {}", StoreFailures.describe(e));
        }
        if (!worked && !stopping) {
            queues.awaitSignal(Outbox.DUE_SIGNAL, idle);
        }
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, true);
    }

    /**
     * The engine is stopping: a poll waiting for work ends now and no poll waits again, so that the route's last
     * exchange is done before Camel's shutdown looks for exchanges in flight.
     */
    public void stopping() {
        stopping = true;
        queues.signal(Outbox.DUE_SIGNAL);
    }

    boolean dispatchDue() throws InterruptedException, ExecutionException, TimeoutException {
        if (guards.circuit().isPresent() || inFlight.availablePermits() == 0) {
            return false;
        }
        Instant now = clock.instant();
        List<OutboundMessage> claimed = outbox.claimDue(now, Math.min(claimBatch, inFlight.availablePermits()),
                UUID.randomUUID().toString()).get(STORE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (OutboundMessage message : claimed) {
            Optional<Instant> busy = pairs.reserve(message.recipient(), clock.instant());
            if (busy.isPresent()) {
                record(message, Transition.deferTo(busy.get(), "pair limit: one message per recipient per interval"),
                        null);
                continue;
            }
            pacer.acquire();
            inFlight.acquire();
            senders.execute(() -> {
                try {
                    send(message);
                } finally {
                    inFlight.release();
                }
            });
        }
        return !claimed.isEmpty();
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
                    unknownOutcome == UnknownOutcome.RESEND ? "sending again" : "held as UNKNOWN");
            record(message, unknownOutcome == UnknownOutcome.RESEND
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

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(STORE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
