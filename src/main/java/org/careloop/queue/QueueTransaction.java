package org.careloop.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The store transaction a queue entry is handed on in, carried by its exchange: what the route writes through it (a
 * producer's enqueue, a bean's rows) commits together with the entry's completion, or not at all. It closes when the
 * entry is done, so an exchange copied off the route (a wireTap) that outlives it writes in a transaction of its own.
 *
 * <p>On a consumer that hands several entries on at once ({@code concurrentConsumers} above 1), the route runs
 * outside the transaction: its writes are kept and applied after it, in entry order, and a step cannot read the
 * transaction itself.
 */
public final class QueueTransaction {

    /** The exchange property it travels in. */
    public static final String PROPERTY = "CareLoopQueueTransaction";

    /** A write that commits with the entry. */
    @FunctionalInterface
    public interface Work {
        void apply(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final List<Work> kept;
    private final Set<String> enqueuedTo;
    private volatile boolean open = true;

    private QueueTransaction(Connection connection, List<Work> kept, Set<String> enqueuedTo) {
        this.connection = connection;
        this.kept = kept;
        this.enqueuedTo = enqueuedTo;
    }

    /** Writes go straight to the consumer's open transaction. */
    static QueueTransaction open(Connection connection, Set<String> enqueuedTo) {
        return new QueueTransaction(connection, null, enqueuedTo);
    }

    /** Writes are kept, to be applied once the route is done ({@link #applyKept}). */
    static QueueTransaction keeping(Set<String> enqueuedTo) {
        return new QueueTransaction(null, new ArrayList<>(), enqueuedTo);
    }

    /** The open transaction of the entry this exchange carries, if it has one. */
    public static Optional<QueueTransaction> of(Exchange exchange) {
        QueueTransaction transaction = exchange.getProperty(PROPERTY, QueueTransaction.class);
        return transaction != null && transaction.open ? Optional.of(transaction) : Optional.empty();
    }

    /** The entry's transaction, for a bean that reads what earlier entries of the batch wrote. */
    public static Connection connection(Exchange exchange) {
        QueueTransaction transaction = required(exchange);
        if (transaction.connection == null) {
            throw new IllegalStateException("this step reads the queue entry's transaction, which a consumer with "
                    + "concurrentConsumers above 1 does not share with its route: set it to 1");
        }
        return transaction.connection;
    }

    /** A write that commits with the entry being handled, or not at all. */
    public static void write(Exchange exchange, Work work) throws SQLException {
        required(exchange).write(work);
    }

    /**
     * Adds an entry to a queue with the entry being handled (what a bean does with many hand-offs, a producer with
     * one); the queue's consumer is woken once this commits.
     */
    public static void enqueue(Exchange exchange, String queue, String orderKey, String body, Instant now)
            throws SQLException {
        write(exchange, connection -> WorkQueue.enqueue(connection, queue, orderKey, body, now));
        signalOnCommit(exchange, queue);
    }

    /** Wakes a queue's consumer once this commits: a write of the exchange's added an entry to it. */
    public static void signalOnCommit(Exchange exchange, String queue) {
        required(exchange).enqueuedTo.add(queue);
    }

    private static QueueTransaction required(Exchange exchange) {
        return of(exchange).orElseThrow(() -> new IllegalStateException("this step writes to the store with the "
                + "queue entry it handles: it must run on a route consuming from careloop-queue"));
    }

    private void write(Work work) throws SQLException {
        if (connection != null) {
            work.apply(connection);
        } else {
            kept.add(work);
        }
    }

    /** Applies the writes kept while the route ran, in the order it made them. */
    void applyKept(Connection connection) throws SQLException {
        for (Work work : kept) {
            work.apply(connection);
        }
    }

    void close() {
        open = false;
    }
}
