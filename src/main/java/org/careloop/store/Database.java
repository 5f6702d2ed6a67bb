package org.careloop.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

/**
 * The store: a pooled data source whose schema Flyway brings up to date, opened at the configured durability.
 *
 * <p>For an embedded H2 file the durability is set in the URL: {@code WRITE_DELAY=0} makes every commit write its
 * chunk before it returns (without it H2 keeps committed rows in memory for up to 0.5 s), and {@link #sync} runs
 * {@code CHECKPOINT SYNC} when the level is {@link Durability#POWER}, since H2 has no fsync-per-commit setting. For
 * PostgreSQL each connection's {@code synchronous_commit} is set from the level.
 */
public final class Database extends ServiceSupport {

    private final String url;
    private final String user;
    private final String password;
    private final int poolSize;
    private final Durability durability;
    private final Dialect dialect;
    private final Duration claimLease;
    private final String claimant;
    private HikariDataSource dataSource;

    public Database(String url, String user, String password, int poolSize, Durability durability,
            Duration claimLease) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.poolSize = poolSize;
        this.durability = durability;
        this.dialect = Dialect.of(url);
        this.claimLease = claimLease;
        this.claimant = ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString()
                .substring(0, 8);
    }

    public DataSource dataSource() {
        if (dataSource == null) {
            throw new IllegalStateException("the store is not started");
        }
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** How long what this instance claims in a shared store stays its own without its finishing it. */
    public Duration claimLease() {
        return claimLease;
    }

    /** This engine instance, as its claims and leases name it: pid@host/random, new at every start. */
    public String claimant() {
        return claimant;
    }

    public Durability durability() {
        return durability;
    }

    /** Makes what the connection just committed as durable as the configured level asks for. */
    public void sync(Connection connection) throws SQLException {
        if (durability == Durability.POWER && dialect == Dialect.H2) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
        }
    }

    @Override
    protected void doStart() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("careloop-store");
        config.setJdbcUrl(dialect == Dialect.H2 ? withH2Durability(url) : url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(false);
        if (dialect == Dialect.POSTGRESQL) {
            // crash: the commit is in the server before it returns (an engine that dies loses nothing); power: it is
            // also flushed to the server's write-ahead log on disk
            config.setConnectionInitSql("SET synchronous_commit = " + (durability == Durability.POWER ? "on" : "off"));
            // a dead server or network is noticed on an idle pooled connection too
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/common", dialect.migrations())
                .load().migrate();
    }

    @Override
    protected void doStop() {
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /**
     * WRITE_DELAY=0: a commit writes its chunk before returning. DB_CLOSE_ON_EXIT=FALSE: the database closes when
     * CareLoop stops its store, after the routes have drained, not in a JVM shutdown hook racing them.
     */
    private static String withH2Durability(String url) {
        String upper = url.toUpperCase();
        if (upper.contains("WRITE_DELAY=") || upper.contains("DB_CLOSE_ON_EXIT=")) {
            throw new IllegalArgumentException("careloop.store.url must not set WRITE_DELAY or DB_CLOSE_ON_EXIT: "
                    + "CareLoop sets them from careloop.store.durability. Remove them from the URL.");
        }
        // each stage's transaction runs a dozen statements, on whichever pooled session: parse each once per session
        return url + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE" + (upper.contains("QUERY_CACHE_SIZE=") ? ""
                : ";QUERY_CACHE_SIZE=64");
    }
}
