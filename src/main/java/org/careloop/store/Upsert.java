package org.careloop.store;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An insert that replaces the row with the same key, written once for both stores: H2's {@code MERGE INTO ... KEY}
 * and PostgreSQL's {@code INSERT ... ON CONFLICT ... DO UPDATE}.
 *
 * @param keys the columns of the table's primary key or a unique constraint
 * @param columns every column the statement sets, keys included, in the order the values are bound
 */
public record Upsert(String table, List<String> keys, List<String> columns) {

    /** {@code Upsert.into("consent", "patient_key, phone", "patient_key, phone, status")}. */
    public static Upsert into(String table, String keys, String columns) {
        return new Upsert(table, names(keys), names(columns));
    }

    public String sql(Dialect dialect) {
        String values = columns.stream().map(column -> "?").collect(Collectors.joining(", "));
        String into = "INTO " + table + " (" + String.join(", ", columns) + ")";
        if (dialect == Dialect.H2) {
            return "MERGE " + into + " KEY (" + String.join(", ", keys) + ") VALUES (" + values + ")";
        }
        List<String> updated = columns.stream().filter(column -> !keys.contains(column)).toList();
        return "INSERT " + into + " VALUES (" + values + ") ON CONFLICT (" + String.join(", ", keys) + ") DO "
                + (updated.isEmpty() ? "NOTHING" : "UPDATE SET " + updated.stream()
                        .map(column -> column + " = EXCLUDED." + column).collect(Collectors.joining(", ")));
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).toList();
    }
}
