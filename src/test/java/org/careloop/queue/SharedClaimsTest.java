package org.careloop.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.careloop.store.Database;
import org.careloop.store.Durability;
import org.careloop.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work queue's claims on a PostgreSQL store shared by two instances (run by the build's PostgreSQL test run): no
 * entry is claimed twice, a key's entries stay with the instance holding its earlier one, and work done under a
 * claim that ran out cannot complete.
 */
class SharedClaimsTest {

    private static final String QUEUE = "shared";
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path dataDir;
    private Database store;

    @BeforeEach
    void openStore() {
        store = new Database(TestStores.postgresqlStore(dataDir), null, null, 4, Durability.CRASH, LEASE);
        store.start();
    }

    @AfterEach
    void closeStore() {
        store.stop();
    }

    @Test
    void twoInstancesNeverClaimOneEntryAndAKeyStaysWithTheInstanceHoldingItsEarlierEntry() throws Exception {
        Instant now = Instant.now();
        inTransaction(c -> {
            WorkQueue.enqueue(c, QUEUE, "patient:1", "p1-a", now);
            WorkQueue.enqueue(c, QUEUE, null, "free-1", now);
            WorkQueue.enqueue(c, QUEUE, "patient:1", "p1-b", now);
            WorkQueue.enqueue(c, QUEUE, "patient:2", "p2-a", now);
            WorkQueue.enqueue(c, QUEUE, null, "free-2", now);
            return null;
        });

        List<WorkQueue.Entry> first = inTransaction(c -> WorkQueue.claim(c, QUEUE, 0, 2, now, "instance-a", LEASE));
        List<WorkQueue.Entry> second = inTransaction(c -> WorkQueue.claim(c, QUEUE, 0, 10, now, "instance-b",
                LEASE));

        assertThat(first).extracting(WorkQueue.Entry::body).containsExactly("p1-a", "free-1");
        assertThat(second).extracting(WorkQueue.Entry::body)
                .as("p1-b waits: instance-a holds patient:1's earlier entry").containsExactly("p2-a", "free-2");

        inTransaction(c -> {
            WorkQueue.complete(c, first, now, "instance-a");
            return null;
        });
        List<WorkQueue.Entry> again = inTransaction(c -> WorkQueue.claim(c, QUEUE, 0, 10, now, "instance-b", LEASE));
        assertThat(again).as("instance-b's own claims come back with patient:1's next entry")
                .extracting(WorkQueue.Entry::body).containsExactly("p1-b", "p2-a", "free-2");
    }

    @Test
    void anEntryWhoseClaimRanOutIsTakenOverAndTheFirstHolderCannotCompleteIt() throws Exception {
        Instant now = Instant.now();
        inTransaction(c -> {
            WorkQueue.enqueue(c, QUEUE, null, "work", now);
            return null;
        });
        Duration instant = Duration.ofMillis(1);
        List<WorkQueue.Entry> lapsed = inTransaction(c -> WorkQueue.claim(c, QUEUE, 0, 10, now, "instance-a",
                instant));
        Thread.sleep(20); // the store's clock passes the one-millisecond lease

        List<WorkQueue.Entry> takenOver = inTransaction(c -> WorkQueue.claim(c, QUEUE, 0, 10, now, "instance-b",
                LEASE));

        assertThat(takenOver).extracting(WorkQueue.Entry::id).isEqualTo(lapsed.stream().map(WorkQueue.Entry::id)
                .toList());
        Throwable lost = catchThrowable(() -> inTransaction(c -> {
            WorkQueue.complete(c, lapsed, now, "instance-a");
            return null;
        }));
        assertThat(lost).isInstanceOf(SQLTransientException.class).hasMessageContaining("another instance took it");
        inTransaction(c -> {
            WorkQueue.complete(c, takenOver, now, "instance-b");
            return null;
        });
        WorkQueue.Depth depth = inTransaction(c -> WorkQueue.depth(c, QUEUE));
        assertThat(depth.ready()).isZero();
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection connection = store.dataSource().getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
