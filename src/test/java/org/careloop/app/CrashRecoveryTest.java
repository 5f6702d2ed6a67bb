package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.careloop.store.Database;
import org.careloop.store.Reads;
import org.careloop.testing.Ack;
import org.careloop.testing.EngineProcess;
import org.careloop.testing.MllpClient;
import org.careloop.testing.Samples;
import org.careloop.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Stored" means it survives a crash: an engine process is killed with SIGKILL while senders are in the middle of
 * sending, and every message it had answered AA must be in the journal when the engine comes back, and become an
 * event. The killed engine does not process its journal, so everything it accepted is recovered at start-up.
 */
class CrashRecoveryTest {

    private static final int SENDERS = 4;
    private static final int CONNECTED_SENDERS = 8;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedMessageSurvivesAKill9AndIsProcessedAfterTheRestart() throws Exception {
        Map<String, String> settings = TestEngines.settings(dataDir);
        int mllpPort = Integer.parseInt(settings.get("careloop.mllp.port"));
        EngineProcess engine = startEngineProcess(settings);
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            engine.awaitListening(mllpPort);
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.submit(() -> sendUntilTheConnectionDies(mllpPort, sender, acknowledged));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 400);
        } finally {
            engine.kill();
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }
        Set<String> accepted = new HashSet<>(acknowledged);

        try (CareLoopEngine restarted = CareLoopEngine.start(TestEngines.settings(dataDir))) {
            Database store = restarted.bean("careloopStore", Database.class);

            assertThat(controlIds(store, "SELECT control_id FROM hl7_journal")).containsAll(accepted);
            await().atMost(Duration.ofSeconds(60)).until(() -> controlIds(store,
                    "SELECT control_id FROM hl7_journal WHERE state <> 'PROCESSED'").isEmpty());
            assertThat(controlIds(store, "SELECT j.control_id FROM care_event e JOIN hl7_journal j "
                    + "ON e.journal_id = j.id")).containsAll(accepted);
        }
    }

    /**
     * A supervisor (systemd, Kubernetes) restarts a killed engine at once, on the same ports, while the EHRs' senders
     * are still connected: the killed listener's connections are left in TIME_WAIT on the MLLP port, and the new
     * engine must bind it all the same, every time.
     */
    @Test
    void aKilledEngineRestartsAtOnceOnTheSamePortsWhileSendersAreConnected() throws Exception {
        Map<String, String> settings = TestEngines.settings(dataDir);
        int mllpPort = Integer.parseInt(settings.get("careloop.mllp.port"));
        EngineProcess engine = startEngineProcess(settings);
        for (int restart = 1; restart <= 3; restart++) {
            engine.awaitListening(mllpPort);
            Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
            ExecutorService senders = Executors.newFixedThreadPool(CONNECTED_SENDERS);
            try {
                for (int s = 0; s < CONNECTED_SENDERS; s++) {
                    int sender = restart * 100 + s;
                    senders.submit(() -> sendUntilTheConnectionDies(mllpPort, sender, acknowledged));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.stream()
                        .map(id -> id.substring(0, id.indexOf('-'))).distinct().count() == CONNECTED_SENDERS);
            } finally {
                engine.kill();
                engine = startEngineProcess(settings);
                senders.shutdown();
                senders.awaitTermination(30, TimeUnit.SECONDS);
            }
        }
        try {
            engine.awaitListening(mllpPort);
            try (MllpClient client = new MllpClient(mllpPort)) {
                assertThat(Ack.of(client.send(Samples.siu("after-restarts", "9001"))).code()).isEqualTo("AA");
            }
        } finally {
            engine.kill();
        }
        assertThat(Files.readString(dataDir.resolve("engine.log"))).doesNotContain("BindException");
    }

    /** The engine process, with its journal processing off: what it accepted is recovered at the restart. */
    private EngineProcess startEngineProcess(Map<String, String> settings) throws IOException {
        Map<String, String> withoutProcessing = new HashMap<>(settings);
        withoutProcessing.put("careloop.processing.enabled", "false");
        return EngineProcess.start(dataDir, withoutProcessing);
    }

    private static void sendUntilTheConnectionDies(int port, int sender, Queue<String> acknowledged) {
        try (MllpClient client = new MllpClient(port)) {
            for (int i = 0; ; i++) {
                String controlId = "K" + sender + "-" + i;
                Ack ack = Ack.of(client.send(Samples.siu(controlId, sender + "00" + i)));
                if ("AA".equals(ack.code())) {
                    acknowledged.add(controlId);
                }
            }
        } catch (IOException killed) {
            // the engine was killed: this sender stops, its last message unacknowledged
        }
    }

    private static List<String> controlIds(Database store, String sql) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            Reads.end(connection);
            return ids;
        }
    }
}
