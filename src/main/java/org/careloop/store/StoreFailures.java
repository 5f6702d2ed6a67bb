package org.careloop.store;

import java.sql.SQLException;
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
                return "SQL error " + sql.getErrorCode() + " (SQLState " + sql.getSQLState() + ")";
            }
        }
        return cause == null ? "unknown cause" : cause.getClass().getSimpleName();
    }
}
