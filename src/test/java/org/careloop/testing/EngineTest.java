package org.careloop.testing;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.careloop.app.CareLoopEngine;
import org.careloop.store.Reads;
import org.careloop.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a real engine per test: its own H2 file store in a temporary directory, MLLP and HTTP on free loopback ports,
 * the routes from routes/ and the site codes from mappings/, as shipped.
 */
public abstract class EngineTest {

    protected static final String API_TOKEN = TestEngines.API_TOKEN;

    @TempDir
    protected Path dataDir;
    protected int mllpPort;
    protected int httpPort;
    protected int simulatorPort;
    protected CareLoopEngine engine;
    private Map<String, String> ports;

    /** Properties a test class sets for its engines, on top of the defaults here. */
    protected Map<String, String> properties() {
        return Map.of();
    }

    /** The clock the engines read, or null for the system clock. */
    protected Clock clock() {
        return null;
    }

    @BeforeEach
    void startEngine() throws Exception {
        ports = TestEngines.settings(dataDir);
        mllpPort = Integer.parseInt(ports.get("careloop.mllp.port"));
        httpPort = Integer.parseInt(ports.get("careloop.http.port"));
        simulatorPort = Integer.parseInt(ports.get("careloop.whatsapp.sandbox.port"));
        engine = startEngine(Map.of());
    }

    @AfterEach
    void stopEngine() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    /** Starts another engine on this test's store and ports (after a restart, say). */
    protected CareLoopEngine startEngine(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(ports);
        settings.putAll(properties());
        settings.putAll(extra);
        return CareLoopEngine.start(settings, clock());
    }

    protected MllpClient mllp() throws Exception {
        return new MllpClient(mllpPort);
    }

    protected Ack send(byte[] message) throws Exception {
        try (MllpClient client = mllp()) {
            return Ack.of(client.send(message));
        }
    }

    protected DataSource store() {
        return engine.bean("careloopStore", Database.class).dataSource();
    }

    protected long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = store().getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long count = rows.getLong(1);
                Reads.end(connection);
                return count;
            }
        }
    }

    protected HttpResponse<String> http(String method, String path, String token, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> api(String method, String path) throws Exception {
        return http(method, path, API_TOKEN, null);
    }

    /** Records an opt-in through the consent API, as the front desk would. */
    protected void optIn(String patient, String phone) throws Exception {
        String body = "{\"patient\":\"" + patient + "\",\"phone\":\"" + phone + "\",\"status\":\"opt-in\","
                + "\"source\":\"front desk\"}";
        assertStatus(http("POST", "/api/consent", API_TOKEN, body.getBytes(StandardCharsets.UTF_8)), 200);
    }

    /** Sends a message over MLLP and waits until it is journaled, turned into an event and planned. */
    protected void deliver(byte[] message) throws Exception {
        assertThat(send(message).code()).isEqualTo("AA");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT COUNT(*) FROM hl7_journal WHERE state = 'RECEIVED'") == 0
                        && count("SELECT COUNT(*) FROM work_queue WHERE queue = 'care-events' AND state = 'READY'")
                        == 0);
    }

    /** The outbox rows planned for a subject ("appointment:EPIC|A100"), by idempotency key. */
    protected List<PlannedRow> planned(String subject) throws SQLException {
        return Reads.list(store(), "SELECT " + PlannedRow.COLUMNS + " FROM wa_outbound WHERE subject_key = ? "
                + "ORDER BY idempotency_key", PlannedRow::of, subject);
    }
}
