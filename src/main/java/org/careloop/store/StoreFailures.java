package org.careloop.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Describes a store failure for the log without its message text: H2 quotes the offending values in messages such as
 * "value too long for column", and those values can be patient data.
 */
public final class StoreFailures {

    private StoreFailures() {
    }

    public static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return "SQL error (SQLState " + sql.getSQLState() + ")"; // the vendor code adds nothing portable
            }
        }
        return cause == null ? "unknown cause" : cause.getClass().getSimpleName();
    }

    /**
     * Whether the store refused the data itself: a value too long or of the wrong type (SQLState 22), a broken
     * constraint (23). The same data would be refused again.
     */
    public static boolean isDataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure is the store's rather than the entry's: the connection lost or refused (SQLState 08),
     * a transaction rolled back by the database (40: deadlock, serialization), a lock or statement timeout (HYT00,
     * 57), no connection from the pool in time. Such a failure passes; the same entry will work when it has. Anything
     * else (a value that does not fit, a broken constraint, a bug in the step) comes back every time for that entry.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("57")
                        || state.equals("HYT00")) {
                    return true;
                }
            }
        }
        return false;
    }
}
