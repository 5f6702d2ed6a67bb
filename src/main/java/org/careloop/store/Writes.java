package org.careloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Statements that change rows, in the caller's transaction. Parameters bind in order; null binds as SQL NULL. */
public final class Writes {

    private Writes() {
    }

    /** Inserts one row and returns its generated id. */
    public static long insert(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(insert, parameters);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Runs an INSERT that may insert no row (INSERT ... SELECT ... WHERE NOT ...); the id of the row it inserted. */
    public static Optional<Long> insertIfAbsent(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(insert, parameters);
            if (insert.executeUpdate() == 0) {
                return Optional.empty();
            }
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return Optional.of(keys.getLong(1));
            }
        }
    }

    /** Inserts the row, or replaces the one with its key, in the SQL of the connection's store. */
    public static void upsert(Connection connection, Upsert upsert, Object... values) throws SQLException {
        update(connection, upsert.sql(Dialect.of(connection)), values);
    }

    /** Runs an INSERT, UPDATE, DELETE or MERGE; returns how many rows it touched. */
    public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
