package org.careloop.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SQL the two stores do not share. H2 is the embedded store of one engine (its file is locked by the process
 * that opened it); PostgreSQL is the production store, shared by every engine instance of a site.
 */
public enum Dialect {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    /** The store a JDBC URL names. */
    public static Dialect of(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("careloop.store.url must name an H2 (jdbc:h2:...) or a PostgreSQL "
                + "(jdbc:postgresql://host:port/database) store");
    }

    /** The store a connection is to. */
    public static Dialect of(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL") ? POSTGRESQL : H2;
    }

    /**
     * Whether other engine instances may work on the same store at the same time, so that work must be claimed
     * (with a lease) before it is done. An H2 file is opened by one process only.
     */
    public boolean sharedByInstances() {
        return this == POSTGRESQL;
    }

    /** The Flyway location of the migrations written for this store alone (the rest are in db/migration/common). */
    public String migrations() {
        return "classpath:db/migration/" + migrations;
    }
}
