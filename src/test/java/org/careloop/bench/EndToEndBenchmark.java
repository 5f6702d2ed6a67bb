package org.careloop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.careloop.app.CareLoopEngine;
import org.careloop.consent.ConsentStatus;
import org.careloop.consent.ConsentStore;
import org.careloop.store.GroupCommitWriter;
import org.careloop.testing.Ack;
import org.careloop.testing.MllpClient;
import org.careloop.testing.Siu;
import org.careloop.testing.TestEngines;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;

/**
 * End to end, on one engine: SIU^S12 bookings offered over MLLP at a steady rate (100 msg/s by default, one
 * connection), each for its own opted-in patient, timed from the moment it was due to be sent to the moment its
 * booking confirmation request reached the WhatsApp simulator: journal, ACK, HAPI parse, CareEvent, planning,
 * outbox, dispatch. The baseline beside it, from the same run and the same messages: the ACK latency, what intake
 * alone costs. Quiet hours are off and the per-number rate raised to 1,000/s, so that neither the site's rules nor
 * Meta's throughput hold a message back.
 *
 * <p>{@code mvn -q test-compile exec:java@bench-e2e} (-Dbench.rate=100 -Dbench.seconds=20)
 */
public final class EndToEndBenchmark {

    private static final Pattern APPOINTMENT = Pattern.compile("appointment:EPIC\\|(\\d+)");
    private static final int WARM_UP = 1_000;
    private static final int FIRST_MEASURED = 100_000;
    private static final String TWO_WEEKS_AHEAD = LocalDate.now().plusDays(14)
            .format(DateTimeFormatter.BASIC_ISO_DATE) + "0930";

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("bench.rate", 100);
        int messages = rate * Integer.getInteger("bench.seconds", 20);
        Path dataDir = Files.createTempDirectory("careloop-bench-e2e");
        Map<String, String> settings = TestEngines.settings(dataDir);
        settings.put("careloop.site.quiet-hours", "");
        settings.put("careloop.whatsapp.messages-per-second", "1000");
        settings.put("careloop.whatsapp.sandbox.messages-per-second", "1000");
        settings.put("careloop.whatsapp.sandbox.status-delay-ms", "3600000");
        try (CareLoopEngine engine = CareLoopEngine.start(settings)) {
            int port = Integer.parseInt(settings.get("careloop.mllp.port"));
            optIn(engine, 1, WARM_UP);
            optIn(engine, FIRST_MEASURED, messages);
            // HAPI's parse paths and the JIT warm up on bookings that are not measured
            run(port, 1, WARM_UP, 1_000);
            awaitConfirmations(engine, 1, WARM_UP);

            Run measured = run(port, FIRST_MEASURED, messages, rate);
            Map<Integer, Instant> confirmed = awaitConfirmations(engine, FIRST_MEASURED, messages);
            long[] endToEnd = new long[messages];
            for (int i = 0; i < messages; i++) {
                endToEnd[i] = Duration.between(measured.due()[i], confirmed.get(FIRST_MEASURED + i)).toNanos();
            }
            System.out.printf("End to end: %d SIU^S12 offered at %d msg/s over 1 connection, %d cores, Java %s%n",
                    messages, rate, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("%-52s %9s %9s %9s%n", "from the due time to", "p50 ms", "p99 ms", "max ms");
            print("its ACK (baseline: intake alone)", measured.ackNanos());
            print("its confirmation request at the WhatsApp simulator", endToEnd);
            if (measured.notAccepted() > 0) {
                System.out.printf("%d messages were not answered AA!%n", measured.notAccepted());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** When each message was due, its ACK latency, and how many were not AA. */
    private record Run(Instant[] due, long[] ackNanos, int notAccepted) {
    }

    private static Run run(int port, int firstId, int count, int rate) throws Exception {
        Instant[] due = new Instant[count];
        long[] ack = new long[count];
        int notAccepted = 0;
        long interval = 1_000_000_000L / rate;
        try (MllpClient client = new MllpClient(port)) {
            long start = System.nanoTime();
            Instant startedAt = Instant.now();
            for (int i = 0; i < count; i++) {
                long dueNanos = start + i * interval;
                LockSupport.parkNanos(dueNanos - System.nanoTime());
                due[i] = startedAt.plusNanos(i * interval);
                int id = firstId + i;
                byte[] answer = client.send(booking(id));
                ack[i] = System.nanoTime() - dueNanos;
                if (!"AA".equals(Ack.of(answer).code())) {
                    notAccepted++;
                }
            }
        }
        return new Run(due, ack, notAccepted);
    }

    /**
     * Appointment {@code id}, two weeks ahead, for patient E{id} on a number of their own (the dispatcher spaces two
     * messages to one number, as Meta requires).
     */
    private static byte[] booking(int id) {
        return new Siu(String.valueOf(id), "E" + id, phone(id), "ENG").booked("E2E-" + id, TWO_WEEKS_AHEAD);
    }

    private static String phone(int id) {
        return "+1617" + (2_000_000 + id);
    }

    private static void optIn(CareLoopEngine engine, int firstId, int count) throws Exception {
        Instant now = Instant.now();
        engine.bean("careloopWriter", GroupCommitWriter.class).submit(connection -> {
            for (int id = firstId; id < firstId + count; id++) {
                ConsentStore.record(connection, "EPI|E" + id, phone(id), ConsentStatus.OPT_IN, "bench", null, now);
            }
            return null;
        }).get();
    }

    /** When each booking's confirmation reached the simulator, by appointment id; waits at most two minutes. */
    private static Map<Integer, Instant> awaitConfirmations(CareLoopEngine engine, int firstId, int count)
            throws InterruptedException {
        CloudApiSimulator simulator = engine.bean("cloudApiSimulator", CloudApiSimulator.class);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Map<Integer, Instant> confirmed = new HashMap<>();
            List<Received> received = simulator.received();
            for (Received r : received) {
                Matcher appointment = APPOINTMENT.matcher(r.request());
                if ("appointment_confirmation".equals(r.template()) && r.errorCode() == 0 && appointment.find()) {
                    int id = Integer.parseInt(appointment.group(1));
                    if (id >= firstId && id < firstId + count) {
                        confirmed.putIfAbsent(id, r.at());
                    }
                }
            }
            if (confirmed.size() == count) {
                return confirmed;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(confirmed.size() + " of " + count + " confirmations arrived");
            }
            Thread.sleep(50);
        }
    }

    private static void print(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-52s %9.2f %9.2f %9.2f%n", name, percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
