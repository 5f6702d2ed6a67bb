package org.careloop.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.careloop.store.EachAlone;
import org.careloop.store.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a queue's entries to its route, a batch per store transaction (through the group commit writer), each entry
 * behind a savepoint of its own: the route's writes and the entry's completion commit together; a route that fails
 * leaves nothing it wrote, and the entry is tried again alone (or parked FAILED) while the rest of the batch goes on.
 * The store failing (connection lost) rolls the batch back, to be taken again when it answers.
 */
final class QueueConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final long BATCH_TIMEOUT_SECONDS = 60;

    private final QueueEndpoint endpoint;
    private ExecutorService thread;

    QueueConsumer(QueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.getComponent().consuming(endpoint.getName());
        thread = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "careloop-queue-" + endpoint.getName());
        thread.submit(this::drain);
    }

    @Override
    protected void doStop() throws Exception {
        if (thread != null) {
            endpoint.getComponent().signals().signal(endpoint.getName()); // an idle wait ends now, not at its delay
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(thread);
            thread = null;
        }
        super.doStop();
    }

    private void drain() {
        Duration idle = Duration.ofMillis(endpoint.getIdleDelay());
        QueueSignals signals = endpoint.getComponent().signals();
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                if (handOnBatch() == 0) {
                    signals.await(endpoint.getName(), idle);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.warn("Queue {}: could not take a batch, will try again: {}", endpoint.getName(),
                        StoreFailures.describe(e));
                sleep(idle);
            }
        }
    }

    /** One batch in one transaction; returns how many entries it took. */
    int handOnBatch() throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> enqueuedTo = new HashSet<>();
        int taken = endpoint.getComponent().getWriter().submit(connection -> {
            Instant now = endpoint.getComponent().getClock().instant();
            List<WorkQueue.Entry> entries = WorkQueue.due(connection, endpoint.getName(), endpoint.getBatchSize(),
                    now);
            Set<String> heldBack = new HashSet<>();
            EachAlone.run(connection, entries, (c, entry) -> {
                if (entry.orderKey() != null && heldBack.contains(entry.orderKey())) {
                    return; // an earlier entry of its key failed in this batch: this one waits behind its retry
                }
                QueueTransaction transaction = new QueueTransaction(c, enqueuedTo);
                try {
                    handOn(entry, transaction);
                } finally {
                    transaction.close();
                }
                WorkQueue.complete(c, entry);
            }, (c, entry, cause) -> {
                boolean parked = WorkQueue.failed(c, entry, cause, endpoint.retryPolicy(), now);
                if (!parked && entry.orderKey() != null) {
                    heldBack.add(entry.orderKey());
                }
                LOG.warn("Queue {}: entry {} failed (attempt {}){}: {}", endpoint.getName(), entry.id(),
                        entry.attempts() + 1, parked ? " and is parked FAILED" : ", will be tried again",
                        StoreFailures.describe(cause));
            });
            return entries.size();
        }).get(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        enqueuedTo.forEach(endpoint.getComponent().signals()::signal);
        return taken;
    }

    private void handOn(WorkQueue.Entry entry, QueueTransaction transaction) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.setProperty(QueueTransaction.PROPERTY, transaction);
            exchange.getIn().setBody(entry.body());
            exchange.getIn().setHeader(QueueHeaders.ENTRY_ID, entry.id());
            exchange.getIn().setHeader(QueueHeaders.ATTEMPTS, entry.attempts());
            exchange.getIn().setHeader(QueueHeaders.ORDER_KEY, entry.orderKey());
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
