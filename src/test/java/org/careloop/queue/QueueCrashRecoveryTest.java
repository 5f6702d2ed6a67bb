package org.careloop.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.careloop.app.CareLoopEngine;
import org.careloop.store.Database;
import org.careloop.store.Reads;
import org.careloop.testing.EngineProcess;
import org.careloop.testing.TestEngines;
import org.careloop.whatsapp.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue across a crash, on the real path: patients' replies arrive as signed webhooks while the engine hands
 * them on through the {@code patient-replies} queue, and the engine process is killed with SIGKILL mid-stream. Every
 * reply whose webhook was answered 200 is handled exactly once after the restart: one staff item and one
 * acknowledgement each, nothing left in the queue, whether it was waiting, in a batch that never committed, or done.
 */
class QueueCrashRecoveryTest {

    private static final int SENDERS = 4;

    @TempDir
    Path dataDir;

    private final WebhookSignature signature = new WebhookSignature("sandbox-app-secret");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyReplyStoredBeforeAKill9IsHandledOnceAfterTheRestart() throws Exception {
        Map<String, String> settings = TestEngines.settings(dataDir);
        int httpPort = Integer.parseInt(settings.get("careloop.http.port"));
        EngineProcess engine = EngineProcess.start(dataDir, settings);
        Queue<String> stored = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            engine.awaitListening(httpPort);
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.submit(() -> replyUntilTheEngineDies(httpPort, sender, stored));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> stored.size() >= 300);
        } finally {
            engine.kill();
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }
        Set<String> accepted = new HashSet<>(stored);

        try (CareLoopEngine restarted = CareLoopEngine.start(TestEngines.settings(dataDir))) {
            Database store = restarted.bean("careloopStore", Database.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> Reads.first(store.dataSource(),
                    "SELECT COUNT(*) FROM work_queue", row -> row.getLong(1)).orElseThrow() == 0);

            List<String> handled = Reads.list(store.dataSource(), "SELECT wamid FROM wa_inbound_message WHERE "
                    + "state = 'HANDLED'", row -> row.getString(1));
            assertThat(handled).containsAll(accepted).doesNotHaveDuplicates();
            List<String> staffItems = Reads.list(store.dataSource(), "SELECT reply_wamid FROM staff_queue",
                    row -> row.getString(1));
            assertThat(staffItems).containsExactlyInAnyOrderElementsOf(handled);
            List<String> acknowledgements = Reads.list(store.dataSource(), "SELECT idempotency_key FROM wa_outbound "
                    + "WHERE idempotency_key LIKE 'ack|%'", row -> row.getString(1).substring(4));
            assertThat(acknowledgements).containsExactlyInAnyOrderElementsOf(handled);
        }
    }

    /** One reply per webhook, each from its own number, until the connection is refused. */
    private void replyUntilTheEngineDies(int httpPort, int sender, Queue<String> stored) {
        try {
            for (int i = 0; ; i++) {
                String wamid = "wamid.K" + sender + "-" + i;
                String from = "1617" + (5000000 + sender * 100000 + i);
                byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"WABA\",\"changes\":[{"
                        + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"messages\":[{"
                        + "\"from\":\"" + from + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"1767000000\","
                        + "\"type\":\"text\",\"text\":{\"body\":\"What time should I arrive?\"}}]}}]}]}")
                        .getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + httpPort + "/webhooks/whatsapp")).header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", signature.sign(body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    stored.add(wamid);
                }
            }
        } catch (IOException killed) {
            // the engine was killed: this sender stops, its last webhook unanswered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
