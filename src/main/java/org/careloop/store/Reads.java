package org.careloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Read-only queries on a pooled connection: bind the parameters, map each row, end the transaction. */
public final class Reads {

    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private Reads() {
    }

    public static <T> List<T> list(DataSource dataSource, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            List<T> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(mapper.map(rows));
                }
            }
            connection.rollback();
            return values;
        }
    }

    public static <T> Optional<T> first(DataSource dataSource, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        return list(dataSource, sql, mapper, parameters).stream().findFirst();
    }
}
