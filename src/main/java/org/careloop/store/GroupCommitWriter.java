package org.careloop.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the writes of every waiting caller in one transaction (group commit).
 *
 * <p>A durable commit costs far more than the statements in it, and each MLLP connection has exactly one message
 * waiting for its ACK. One writer thread takes everything queued, runs it in a single transaction, commits, makes the
 * commit durable, and only then completes each caller's future: N connections pay for one commit instead of N.
 *
 * <p>If the batch fails, it is rolled back and each write is retried alone, so one bad write cannot fail its
 * neighbours.
 */
public final class GroupCommitWriter extends ServiceSupport {

    /** One unit of work, run inside the writer's open transaction. */
    @FunctionalInterface
    public interface Write<R> {
        R apply(Connection connection) throws SQLException;
    }

    private record Pending<R>(Write<R> write, CompletableFuture<R> result) {
        void run(Connection connection, List<Runnable> completions) throws SQLException {
            R value = write.apply(connection);
            completions.add(() -> result.complete(value));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final Database database;
    private final int maxBatch;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    public GroupCommitWriter(Database database, int maxBatch) {
        this.database = database;
        this.maxBatch = maxBatch;
    }

    public Database database() {
        return database;
    }

    /** Queues a write; the future completes once its transaction is committed at the configured durability. */
    public <R> CompletableFuture<R> submit(Write<R> write) {
        CompletableFuture<R> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IllegalStateException("the store writer is stopped"));
            return result;
        }
        queue.add(new Pending<>(write, result));
        return result;
    }

    /** Runs a read on a connection of its own, beside the writer: it sees what is committed. */
    public <R> R read(Write<R> read) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            R value = read.apply(connection);
            Reads.end(connection);
            return value;
        }
    }

    @Override
    protected void doStart() {
        running = true;
        thread = new Thread(this::loop, "careloop-group-commit");
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        failRemaining(new IllegalStateException("the store writer stopped"));
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commitTogether(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commitTogether(List<Pending<?>> batch) {
        try {
            commit(batch);
        } catch (NotDurableException notSynced) {
            // Committed but not forced to disk: running the writes again would double them; fail them instead.
            batch.forEach(pending -> pending.result().completeExceptionally(notSynced));
        } catch (SQLException | RuntimeException batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(batchFailure);
                return;
            }
            LOG.warn("A group commit of {} writes failed ({}); retrying each write alone",
                    batch.size(), batchFailure.toString());
            for (Pending<?> pending : batch) {
                try {
                    commit(List.of(pending));
                } catch (NotDurableException | SQLException | RuntimeException failure) {
                    pending.result().completeExceptionally(failure);
                }
            }
        }
    }

    private void commit(List<Pending<?>> batch) throws SQLException, NotDurableException {
        List<Runnable> completions = new ArrayList<>(batch.size());
        try (Connection connection = database.dataSource().getConnection()) {
            try {
                for (Pending<?> pending : batch) {
                    pending.run(connection, completions);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            try {
                database.sync(connection);
            } catch (SQLException e) {
                throw new NotDurableException(e);
            }
        }
        completions.forEach(Runnable::run);
    }

    /** The transaction committed, but forcing it to the disk failed. */
    private static final class NotDurableException extends Exception {
        NotDurableException(SQLException cause) {
            super("committed, but the sync to disk failed: " + cause.getMessage(), cause);
        }
    }

    private void failRemaining(Exception cause) {
        Pending<?> pending;
        while ((pending = queue.poll()) != null) {
            pending.result().completeExceptionally(cause);
        }
    }
}
