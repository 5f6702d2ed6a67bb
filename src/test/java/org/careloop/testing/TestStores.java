package org.careloop.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store an engine of a test gets. By default its own H2 file in the test's data directory; with
 * {@code -Dcareloop.test.store=postgresql} (the build's "postgresql" test run) a schema of its own on the PostgreSQL
 * server at {@code CARELOOP_TEST_POSTGRESQL_URL} (or the system property {@code careloop.test.postgresql.url}),
 * by default the one {@code .ci/run} starts: {@value #DEFAULT_SERVER}. The schemas are dropped when the tests end.
 */
public final class TestStores {

    public static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres";

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final Map<Path, String> BY_DATA_DIR = new ConcurrentHashMap<>();
    private static final List<String> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestStores::dropAll, "drop-test-schemas"));
    }

    private TestStores() {
    }

    /** Whether this test run's engines use PostgreSQL. */
    public static boolean postgresql() {
        return "postgresql".equals(System.getProperty("careloop.test.store"));
    }

    /**
     * The PostgreSQL store of an engine whose data directory is {@code dataDir}: a schema of its own on the test
     * server, created empty the first time, so that an engine started again on the directory finds its store as it
     * would its H2 file. The JDBC URL that opens it.
     */
    public static String postgresqlStore(Path dataDir) {
        return BY_DATA_DIR.computeIfAbsent(dataDir.toAbsolutePath(), dir -> newPostgresqlStore());
    }

    private static String newPostgresqlStore() {
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(server());
                Statement create = connection.createStatement()) {
            create.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL server for the tests at " + server() + " (" + e
                    + "). .ci/run installs and starts one; or set CARELOOP_TEST_POSTGRESQL_URL to a server of yours.",
                    e);
        }
        synchronized (CREATED) {
            CREATED.add(schema);
        }
        return server() + (server().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static String server() {
        String url = System.getProperty("careloop.test.postgresql.url", System.getenv("CARELOOP_TEST_POSTGRESQL_URL"));
        return url == null || url.isBlank() ? DEFAULT_SERVER : url;
    }

    private static void dropAll() {
        synchronized (CREATED) {
            if (CREATED.isEmpty()) {
                return;
            }
            try (Connection connection = DriverManager.getConnection(server());
                    Statement drop = connection.createStatement()) {
                for (String schema : CREATED) {
                    drop.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            } catch (SQLException e) {
                System.err.println("Could not drop the tests' PostgreSQL schemas: " + e);
            }
        }
    }
}
