package org.careloop.whatsapp.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.careloop.queue.QueueComponent;
import org.careloop.store.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the outbox's due messages to the route: claims a batch (committed before any is handed on), paces them to
 * the configured rate, and runs the route for each on a sender thread, up to {@code maxInFlight} at once. The route
 * records how the send ended; one that fails before it did leaves the message UNKNOWN (or, under RESEND, in line
 * again), never claimed for good. At start, messages left claimed by an engine that died are held as UNKNOWN (or put
 * in line again under RESEND): they may have reached Meta.
 */
final class OutboxConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxConsumer.class);
    private static final long STORE_TIMEOUT_SECONDS = 30;

    private final OutboxEndpoint endpoint;
    private SendPacer pacer;
    private Semaphore inFlight;
    private int claimBatch;
    private ExecutorService thread;
    private ExecutorService senders;

    OutboxConsumer(OutboxEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        boolean resend = endpoint.getOutcomeUnknown() == OutcomeUnknown.RESEND;
        int abandoned = outbox().recoverAbandonedClaims(resend, clock()).get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (abandoned > 0) {
            LOG.warn("{} WhatsApp message(s) were being sent when the engine stopped: {}", abandoned,
                    resend ? "planned again" : "held as UNKNOWN for an operator");
        }
        double rate = endpoint.getSendsPerSecond();
        // the burst covers 50 ms of sending: enough to make up the pause while a batch is claimed, never more
        pacer = new SendPacer(rate, rate / 20);
        claimBatch = (int) Math.max(1, Math.ceil(rate / 4));
        inFlight = new Semaphore(endpoint.inFlight());
        senders = getEndpoint().getCamelContext().getExecutorServiceManager().newFixedThreadPool(this,
                "careloop-outbox-send", endpoint.inFlight());
        thread = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                "careloop-outbox");
        thread.submit(this::drain);
    }

    @Override
    protected void doStop() throws Exception {
        if (thread != null) {
            queues().signal(Outbox.DUE_SIGNAL); // an idle wait ends now, not at its delay
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(thread);
            thread = null;
        }
        if (senders != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(senders);
            senders = null;
        }
        super.doStop();
    }

    private void drain() {
        Duration idle = Duration.ofMillis(endpoint.getIdleDelay());
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                if (!handOnDue()) {
                    queues().awaitSignal(Outbox.DUE_SIGNAL, idle);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.warn("Could not claim due WhatsApp messages, will retry: {}", StoreFailures.describe(e));
                try {
                    Thread.sleep(idle.toMillis());
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Claims what is due and starts handing it on; returns whether there was any. */
    private boolean handOnDue() throws InterruptedException, ExecutionException, TimeoutException {
        SendingGate gate = endpoint.getGate();
        if (gate != null && !gate.open() || inFlight.availablePermits() == 0) {
            return false;
        }
        List<OutboundMessage> claimed = outbox().claimDue(clock(), Math.min(claimBatch, inFlight.availablePermits()),
                UUID.randomUUID().toString()).get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (OutboundMessage message : claimed) {
            pacer.acquire();
            inFlight.acquire();
            senders.execute(() -> {
                try {
                    handOn(message);
                } finally {
                    inFlight.release();
                }
            });
        }
        return !claimed.isEmpty();
    }

    private void handOn(OutboundMessage message) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(message);
            exchange.getIn().setHeader(OutboxHeaders.MESSAGE_ID, message.id());
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } catch (Exception e) {
            routeFailed(message, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** The route failed before it recorded the outcome (if it did, the claim is gone and this changes nothing). */
    private void routeFailed(OutboundMessage message, Exception failure) {
        String reason = "the route failed before the outcome was recorded: " + StoreFailures.describe(failure);
        Instant now = clock();
        Transition transition = endpoint.getOutcomeUnknown() == OutcomeUnknown.RESEND
                ? Transition.deferTo(now, reason) : Transition.unknown(reason);
        LOG.warn("WhatsApp message {}: {}", message.id(), reason);
        try {
            endpoint.getComponent().outbox().finish(message, transition, now).get(STORE_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("WhatsApp message {}: stays CLAIMED and is treated as outcome unknown at the next start ({})",
                    message.id(), StoreFailures.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outbox outbox() {
        return endpoint.getComponent().outbox();
    }

    private QueueComponent queues() {
        return getEndpoint().getCamelContext().getComponent("careloop-queue", QueueComponent.class);
    }

    private Instant clock() {
        return endpoint.getComponent().getClock().instant();
    }
}
