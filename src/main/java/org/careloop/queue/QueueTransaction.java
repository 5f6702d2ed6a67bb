package org.careloop.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The store transaction a queue entry is handed on in, carried by its exchange: what the route writes on it (a
 * producer's enqueue, a bean's rows) commits together with the entry's completion, or not at all. It closes when the
 * entry is done, so an exchange copied off the route (a wireTap) that outlives it writes in a transaction of its own.
 */
public final class QueueTransaction {

    /** The exchange property it travels in. */
    public static final String PROPERTY = "CareLoopQueueTransaction";

    private final Connection connection;
    private final Set<String> enqueuedTo;
    private volatile boolean open = true;

    QueueTransaction(Connection connection, Set<String> enqueuedTo) {
        this.connection = connection;
        this.enqueuedTo = enqueuedTo;
    }

    /** The open transaction of the entry this exchange carries, if it has one. */
    public static Optional<QueueTransaction> of(Exchange exchange) {
        QueueTransaction transaction = exchange.getProperty(PROPERTY, QueueTransaction.class);
        return transaction != null && transaction.open ? Optional.of(transaction) : Optional.empty();
    }

    /** The open transaction, for a bean that writes with the entry's completion. */
    public static Connection connection(Exchange exchange) {
        return of(exchange).orElseThrow(() -> new IllegalStateException("this step writes to the store with the "
                + "queue entry it handles: it must run on a route consuming from careloop-queue")).connection;
    }

    Connection connection() {
        return connection;
    }

    /**
     * Adds an entry to a queue with the entry being handled (what a bean does with many hand-offs, a producer with
     * one); the queue's consumer is woken once this commits.
     */
    public static void enqueue(Exchange exchange, String queue, String orderKey, String body, Instant now)
            throws SQLException {
        WorkQueue.enqueue(connection(exchange), queue, orderKey, body, now);
        of(exchange).orElseThrow().enqueued(queue);
    }

    /** Notes that an entry was added to a queue, whose consumer is woken once this transaction commits. */
    void enqueued(String queue) {
        enqueuedTo.add(queue);
    }

    void close() {
        open = false;
    }
}
