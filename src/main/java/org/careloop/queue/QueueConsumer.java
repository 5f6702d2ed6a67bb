package org.careloop.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.careloop.store.Database;
import org.careloop.store.EachAlone;
import org.careloop.store.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a queue's entries to its route, a batch per store transaction (through the group commit writer), each entry
 * behind a savepoint of its own: the route's writes and the entry's completion commit together; a route that fails
 * leaves nothing it wrote, and the entry is tried again alone (or parked FAILED, and handed to the dead letter
 * endpoint if there is one) while the rest of the batch goes on. The store failing (connection lost) rolls the batch
 * back, to be taken again when it answers.
 *
 * <p>With {@code concurrentConsumers} above 1 the route runs outside the transaction, on that many threads, while the
 * batch before commits; its writes are kept and applied in entry order. Entries sharing an order key still run one
 * after another, and a batch with keys commits before the next is taken, so a key's entries see each other's work.
 */
final class QueueConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final long BATCH_TIMEOUT_SECONDS = 60;

    /** An entry the route ran for outside the transaction: the writes it kept, or why it failed. */
    private record Handed(WorkQueue.Entry entry, QueueTransaction transaction, Exception failure) {
    }

    private final QueueEndpoint endpoint;
    private ExecutorService thread;
    private ExecutorService workers;
    private Producer deadLetter;
    /** Concurrent hand-on only (the consumer thread's): where the next batch starts, and the batch committing. */
    private long cursor;
    private CompletableFuture<Void> committing = CompletableFuture.completedFuture(null);

    QueueConsumer(QueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.getDeadLetterUri() != null) {
            deadLetter = getEndpoint().getCamelContext().getEndpoint(endpoint.getDeadLetterUri()).createProducer();
            ServiceHelper.startService(deadLetter);
        }
        endpoint.getComponent().consuming(endpoint.getName());
        if (endpoint.getConcurrentConsumers() > 1) {
            workers = getEndpoint().getCamelContext().getExecutorServiceManager().newFixedThreadPool(this,
                    "careloop-queue-" + endpoint.getName() + "-worker", endpoint.getConcurrentConsumers());
        }
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
        if (workers != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(workers);
            workers = null;
        }
        ServiceHelper.stopService(deadLetter);
        deadLetter = null;
        super.doStop();
    }

    private void drain() {
        Duration idle = Duration.ofMillis(endpoint.getIdleDelay());
        QueueSignals signals = endpoint.getComponent().signals();
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                boolean worked = workers == null ? handOnBatch() : handOnAtOnce();
                if (!worked) {
                    signals.await(endpoint.getName(), idle);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | SQLException | RuntimeException e) {
                LOG.warn("Queue {}: could not take a batch, will try again: {}", endpoint.getName(),
                        StoreFailures.describe(e));
                cursor = 0; // the batch that failed is taken again, from the start
                sleep(idle);
            }
        }
    }

    /**
     * One batch handed on inside its transaction; returns whether there was any. In a shared store the batch is
     * claimed first, in a commit of its own.
     */
    private boolean handOnBatch() throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> enqueuedTo = new HashSet<>();
        Instant now = endpoint.getComponent().getClock().instant();
        List<WorkQueue.Entry> claimed = claimant() == null ? null : claim(0, now);
        if (claimed != null && claimed.isEmpty()) {
            return false;
        }
        int taken = endpoint.getComponent().writer().submit(connection -> {
            List<WorkQueue.Entry> entries = claimed != null ? claimed : WorkQueue.due(connection,
                    endpoint.getName(), 0, endpoint.getBatchSize(), now);
            Set<String> heldBack = new HashSet<>();
            List<WorkQueue.Entry> done = new ArrayList<>(entries.size());
            EachAlone.run(connection, entries, (c, entry) -> {
                if (entry.orderKey() != null && heldBack.contains(entry.orderKey())) {
                    return; // an earlier entry of its key failed in this batch: this one waits behind its retry
                }
                QueueTransaction transaction = QueueTransaction.open(c, enqueuedTo);
                try {
                    handOn(entry, transaction);
                } finally {
                    transaction.close();
                }
                done.add(entry);
            }, failure(now, heldBack, enqueuedTo));
            // in the transaction of their work, which has no savepoint left
            WorkQueue.complete(connection, done, now, claimant());
            if (claimed != null) {
                WorkQueue.release(connection, claimed, claimant());
            }
            return entries.size();
        }).get(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        enqueuedTo.forEach(endpoint.getComponent().signals()::signal);
        return taken > 0;
    }

    /**
     * One batch handed to the route on the worker threads while the one before commits, then its kept writes and
     * completions queued for their own commit; returns whether there was any.
     */
    private boolean handOnAtOnce() throws InterruptedException, ExecutionException, TimeoutException, SQLException {
        if (cursor == 0) {
            awaitCommitting(); // a batch read from the start must not meet the one still committing
        }
        Instant now = endpoint.getComponent().getClock().instant();
        List<WorkQueue.Entry> entries = claimant() != null ? claim(cursor, now)
                : endpoint.getComponent().writer().read(c -> WorkQueue.due(c, endpoint.getName(), cursor,
                        endpoint.getBatchSize(), now));
        if (entries.isEmpty()) {
            awaitCommitting();
            boolean fromTheStart = cursor == 0;
            cursor = 0; // what the batches passed (a retry come due, a key held back) is found from the start
            return !fromTheStart;
        }
        Set<String> enqueuedTo = ConcurrentHashMap.newKeySet();
        List<Handed> handed = handAllOn(entries, enqueuedTo);
        awaitCommitting();
        boolean keyed = entries.stream().anyMatch(entry -> entry.orderKey() != null);
        cursor = entries.size() == endpoint.getBatchSize() && !keyed ? entries.get(entries.size() - 1).id() : 0;
        committing = endpoint.getComponent().writer().submit(connection -> {
            Set<String> heldBack = new HashSet<>();
            List<WorkQueue.Entry> done = new ArrayList<>(handed.size());
            EachAlone.Failed<WorkQueue.Entry> failure = failure(now, heldBack, enqueuedTo);
            EachAlone.run(connection, handed, (c, entry) -> {
                if (entry.transaction() == null && entry.failure() == null
                        || entry.entry().orderKey() != null && heldBack.contains(entry.entry().orderKey())) {
                    return; // behind an entry of its key that failed: it waits for its retry
                }
                if (entry.failure() != null) {
                    throw entry.failure();
                }
                entry.transaction().applyKept(c);
                done.add(entry.entry());
            }, (c, entry, cause) -> failure.record(c, entry.entry(), cause));
            WorkQueue.complete(connection, done, now, claimant());
            if (claimant() != null) {
                WorkQueue.release(connection, entries, claimant());
            }
            return null;
        }).thenRun(() -> enqueuedTo.forEach(endpoint.getComponent().signals()::signal));
        return true;
    }

    /** This instance's name in claims when the store is shared by several instances; null when it is its own. */
    private String claimant() {
        Database store = endpoint.getComponent().writer().database();
        return store.dialect().sharedByInstances() ? store.claimant() : null;
    }

    /** Claims the next batch for this instance, committed before it returns (a shared store). */
    private List<WorkQueue.Entry> claim(long afterId, Instant now) throws InterruptedException, ExecutionException,
            TimeoutException {
        Database store = endpoint.getComponent().writer().database();
        return endpoint.getComponent().writer().submit(connection -> WorkQueue.claim(connection, endpoint.getName(),
                afterId, endpoint.getBatchSize(), now, store.claimant(), store.claimLease()))
                .get(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Runs the route for each entry on the worker threads, a key's entries in order on one; in entry order. */
    private List<Handed> handAllOn(List<WorkQueue.Entry> entries, Set<String> enqueuedTo)
            throws InterruptedException, ExecutionException {
        Map<Object, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String key = entries.get(i).orderKey();
            byKey.computeIfAbsent(key == null ? (Object) i : key, k -> new ArrayList<>()).add(i);
        }
        Handed[] handed = new Handed[entries.size()];
        List<Future<?>> running = new ArrayList<>(byKey.size());
        for (List<Integer> positions : byKey.values()) {
            running.add(workers.submit(() -> {
                boolean failed = false;
                for (int position : positions) {
                    WorkQueue.Entry entry = entries.get(position);
                    if (failed) {
                        handed[position] = new Handed(entry, null, null);
                        continue;
                    }
                    QueueTransaction transaction = QueueTransaction.keeping(enqueuedTo);
                    try {
                        handOn(entry, transaction);
                        handed[position] = new Handed(entry, transaction, null);
                    } catch (Exception e) {
                        handed[position] = new Handed(entry, null, e);
                        failed = true;
                    } finally {
                        transaction.close();
                    }
                }
            }));
        }
        for (Future<?> each : running) {
            each.get();
        }
        return Arrays.asList(handed);
    }

    private void awaitCommitting() throws InterruptedException, ExecutionException, TimeoutException {
        try {
            committing.get(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            cursor = 0; // that batch is taken again, and everything after it
            throw e;
        } finally {
            committing = CompletableFuture.completedFuture(null);
        }
    }

    /** Records a failed entry: tried again later, holding back its key, or parked and handed to the dead letter. */
    private EachAlone.Failed<WorkQueue.Entry> failure(Instant now, Set<String> heldBack, Set<String> enqueuedTo) {
        return (c, entry, cause) -> {
            boolean parked = WorkQueue.failed(c, entry, cause, endpoint.retryPolicy(), now);
            if (!parked && entry.orderKey() != null) {
                heldBack.add(entry.orderKey());
            }
            LOG.warn("Queue {}: entry {} failed (attempt {}){}: {}", endpoint.getName(), entry.id(),
                    entry.attempts() + 1, parked ? " and is parked FAILED" : ", will be tried again",
                    StoreFailures.describe(cause));
            if (parked && deadLetter != null) {
                toDeadLetter(c, entry, EachAlone.reason(cause), enqueuedTo);
            }
        };
    }

    /** Hands a parked entry to the dead letter endpoint, in the transaction that parks it. */
    private void toDeadLetter(Connection connection, WorkQueue.Entry entry, String reason, Set<String> enqueuedTo)
            throws SQLException {
        Exchange exchange = getEndpoint().createExchange();
        QueueTransaction transaction = QueueTransaction.open(connection, enqueuedTo);
        Savepoint beforeIt = connection.setSavepoint();
        try {
            prepare(exchange, entry, transaction);
            exchange.getIn().setHeader(QueueHeaders.FAILURE, reason);
            deadLetter.process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } catch (Exception e) {
            if (StoreFailures.isTransient(e)) {
                throw e instanceof SQLException sql ? sql : new SQLException(StoreFailures.describe(e), e);
            }
            connection.rollback(beforeIt);
            LOG.warn("Queue {}: parked entry {} could not be handed to {}: {}", endpoint.getName(), entry.id(),
                    endpoint.getDeadLetterUri(), StoreFailures.describe(e));
        } finally {
            transaction.close();
        }
    }

    private void handOn(WorkQueue.Entry entry, QueueTransaction transaction) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            prepare(exchange, entry, transaction);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static void prepare(Exchange exchange, WorkQueue.Entry entry, QueueTransaction transaction) {
        exchange.setProperty(QueueTransaction.PROPERTY, transaction);
        exchange.getIn().setBody(entry.body());
        exchange.getIn().setHeader(QueueHeaders.ENTRY_ID, entry.id());
        exchange.getIn().setHeader(QueueHeaders.ATTEMPTS, entry.attempts());
        exchange.getIn().setHeader(QueueHeaders.ORDER_KEY, entry.orderKey());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
