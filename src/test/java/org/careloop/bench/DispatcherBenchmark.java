package org.careloop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.careloop.app.CareLoopEngine;
import org.careloop.store.Database;
import org.careloop.store.Reads;
import org.careloop.testing.Outboxes;
import org.careloop.testing.TestEngines;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Fault;
import org.careloop.whatsapp.simulator.Received;

/**
 * The WhatsApp dispatcher benchmark: the engine's dispatcher against the Cloud API simulator answering in 50-200 ms,
 * at 80/s and 1,000/s configured (the simulator enforces the same per-number rate and the pair limit).
 *
 * <pre>mvn -q test-compile exec:java@bench-dispatcher</pre>
 *
 * For each rate, two workloads: messages due at exactly the configured rate (the delay between due time and send,
 * p50/p99) and a backlog all due at once (the rate the dispatcher sustains). Prints the achieved rate at the
 * simulator and how many 130429 and 131056 answers it gave (the target is none). Status webhooks are held back so
 * that only sending is measured.
 */
public final class DispatcherBenchmark {

    private DispatcherBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 15);
        System.out.printf("WhatsApp dispatcher benchmark: simulator latency 50-200 ms, %d s a workload, %d cores%n%n",
                seconds, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-10s %-22s %9s %10s %9s %9s %8s %8s %8s%n", "configured", "workload", "messages",
                "achieved/s", "vs conf.", "p50 ms", "p99 ms", "130429", "131056");
        for (int rate : new int[] {80, 1000}) {
            Path dataDir = Files.createTempDirectory("careloop-dispatch-bench");
            Map<String, String> settings = TestEngines.settings(dataDir);
            settings.put("careloop.whatsapp.messages-per-second", String.valueOf(rate));
            settings.put("careloop.whatsapp.sandbox.status-delay-ms", "3600000");
            try (CareLoopEngine engine = CareLoopEngine.start(settings)) {
                CloudApiSimulator simulator = engine.bean("cloudApiSimulator", CloudApiSimulator.class);
                simulator.addFault(new Fault(null, null, null, null, null, null, 50, 200, false, null, null, 0));
                Outboxes outbox = Outboxes.of(engine);
                int messages = rate * seconds;
                run(engine, simulator, outbox, rate, "due at the rate", messages, 1.0 / rate, "p" + rate);
                run(engine, simulator, outbox, rate, "backlog, all due now", messages, 0, "b" + rate);
            } finally {
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Plans {@code messages} rows, one recipient each, due {@code spacing} seconds apart from a common start. */
    private static void run(CareLoopEngine engine, CloudApiSimulator simulator, Outboxes outbox, int rate,
            String workload, int messages, double spacing, String prefix) throws Exception {
        int before = simulator.received().size();
        Instant start = Instant.now().plusSeconds(2 + messages / 2000);
        ExecutorService planners = Executors.newFixedThreadPool(8);
        List<Callable<Void>> plans = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            int n = i;
            plans.add(() -> {
                outbox.planTemplate(prefix + "-" + n, String.format("+1617%07d", n), "appointment_reminder",
                        start.plusNanos((long) (n * spacing * 1e9)));
                return null;
            });
        }
        for (var planned : planners.invokeAll(plans)) {
            planned.get();
        }
        planners.shutdown();
        Database store = engine.bean("careloopStore", Database.class);
        while (Reads.first(store.dataSource(), "SELECT COUNT(*) FROM wa_outbound WHERE idempotency_key LIKE ? "
                + "AND state IN ('PLANNED', 'CLAIMED')", row -> row.getLong(1), prefix + "-%").orElseThrow() > 0) {
            Thread.sleep(200);
        }
        List<Received> received = simulator.received().subList(before, simulator.received().size());
        List<Received> accepted = received.stream().filter(r -> r.errorCode() == 0).toList();
        long rateLimited = received.stream().filter(r -> r.errorCode() == 130429).count();
        long pairLimited = received.stream().filter(r -> r.errorCode() == 131056).count();
        double window = Duration.between(accepted.get(0).at(), accepted.get(accepted.size() - 1).at()).toNanos() / 1e9;
        double achieved = (accepted.size() - 1) / window;
        long[] delays = accepted.stream().mapToLong(r -> Duration.between(dueOf(r, start, spacing, prefix),
                r.at()).toMillis()).sorted().toArray();
        System.out.printf("%8d/s  %-22s %9d %10.1f %8.1f%% %9d %8d %8d %8d%n", rate, workload, messages, achieved,
                100.0 * achieved / rate, percentile(delays, 50), percentile(delays, 99), rateLimited, pairLimited);
    }

    /** The due time of the message a request carried, from its quick-reply payload "CONFIRM:<prefix>-<n>". */
    private static Instant dueOf(Received received, Instant start, double spacing, String prefix) {
        String request = received.request();
        int at = request.indexOf("CONFIRM:" + prefix + "-") + ("CONFIRM:" + prefix + "-").length();
        int n = Integer.parseInt(request.substring(at, request.indexOf('"', at)));
        return start.plusNanos((long) (n * spacing * 1e9));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1))];
    }
}
