package org.careloop.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * Runs one step per entry of a batch inside the caller's transaction, each entry behind a savepoint of its own, so
 * that a bad entry fails alone: its work is rolled back, it is handed to {@code failed} with the reason (to be
 * parked FAILED, or put back for later), and the entries after it go on in the same transaction.
 *
 * <p>A failure of the store itself ({@link StoreFailures#isTransient}) is not the entry's fault and is thrown: the
 * whole batch is rolled back by the caller and tried again when the store is back.
 */
public final class EachAlone {

    /** What is done for one entry. */
    @FunctionalInterface
    public interface Step<T> {
        void apply(Connection connection, T entry) throws Exception;
    }

    /**
     * Records that the entry failed: {@link #reason} is for the store (operators read it there), and only
     * {@link StoreFailures#describe} of the cause may go to the log, since messages can quote the data.
     */
    @FunctionalInterface
    public interface Failed<T> {
        void record(Connection connection, T entry, Exception cause) throws SQLException;
    }

    private EachAlone() {
    }

    /** Returns how many entries failed. */
    public static <T> int run(Connection connection, List<T> entries, Step<T> step, Failed<T> failed)
            throws SQLException {
        int failures = 0;
        for (T entry : entries) {
            Savepoint beforeThisEntry = connection.setSavepoint();
            try {
                step.apply(connection, entry);
            } catch (Exception e) {
                if (StoreFailures.isTransient(e)) {
                    throw e instanceof SQLException sql ? sql : new SQLException(StoreFailures.describe(e), e);
                }
                connection.rollback(beforeThisEntry);
                failed.record(connection, entry, e);
                failures++;
            }
        }
        return failures;
    }

    /** Why an entry failed, for the store: store errors without their message (it quotes the values). */
    public static String reason(Exception e) {
        String described = StoreFailures.describe(e);
        if (described.startsWith("SQL error")) {
            return "could not be stored: " + described;
        }
        return Columns.reason(e.getMessage() == null ? described : described + ": " + e.getMessage());
    }
}
