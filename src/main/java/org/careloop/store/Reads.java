package org.careloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Queries: bind the parameters, map each row; on a pooled connection of their own, or in the caller's transaction. */
public final class Reads {

    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private Reads() {
    }

    /** On a connection of its own, in a transaction ended when the rows are read. */
    public static <T> List<T> list(DataSource dataSource, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<T> values = list(connection, sql, mapper, parameters);
            end(connection);
            return values;
        }
    }

    /**
     * Ends a transaction that only read. By a commit, not a rollback: with {@code WRITE_DELAY=0} H2's MVStore writes
     * every unsaved page to the file at each rollback (a commit that changed nothing writes none), so a read ended by
     * a rollback would write the group commit writer's pages under its feet, from every reading thread.
     */
    public static void end(Connection connection) throws SQLException {
        connection.commit();
    }

    public static <T> Optional<T> first(DataSource dataSource, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        return list(dataSource, sql, mapper, parameters).stream().findFirst();
    }

    /** Inside the caller's transaction. */
    public static <T> List<T> list(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            List<T> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(mapper.map(rows));
                }
            }
            return values;
        }
    }

    public static <T> Optional<T> first(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        return list(connection, sql, mapper, parameters).stream().findFirst();
    }
}
