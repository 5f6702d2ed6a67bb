package org.careloop.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.careloop.testing.Ack;
import org.careloop.testing.MllpClient;

/**
 * Drives an MLLP listener the way EHR feeds do: K connections, each sending its next message only after the ACK of
 * the previous one. Closed loop (as fast as ACKs come back) or open loop (at an offered rate, with latency counted
 * from the moment each message was due, so a slow ACK is not hidden by the sends it delayed).
 */
final class LoadGenerator {

    /** What one run measured. */
    record Result(int messages, double seconds, long[] latenciesNanos, int notAccepted) {

        double rate() {
            return messages / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }
    }

    private LoadGenerator() {
    }

    /** Sends {@code messages} in total as fast as the ACKs allow. */
    static Result closedLoop(int port, int connections, int messages, IntFunction<byte[]> message) throws Exception {
        return run(port, connections, messages, message, 0);
    }

    /** Sends at {@code ratePerSecond} in total, spread evenly over the connections. */
    static Result openLoop(int port, int connections, int messages, double ratePerSecond, IntFunction<byte[]> message)
            throws Exception {
        return run(port, connections, messages, message, (long) (1e9 * connections / ratePerSecond));
    }

    private static Result run(int port, int connections, int messages, IntFunction<byte[]> message,
            long intervalNanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Callable<long[]>> senders = new ArrayList<>();
        int[] notAccepted = new int[1];
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            int count = messages / connections + (c < messages % connections ? 1 : 0);
            senders.add(() -> {
                long[] latencies = new long[count];
                try (MllpClient client = new MllpClient(port)) {
                    for (int i = 0; i < count; i++) {
                        long due = intervalNanos == 0 ? System.nanoTime() : start + i * intervalNanos
                                + connection * intervalNanos / connections;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        byte[] ack = client.send(message.apply(connection * count + i));
                        latencies[i] = System.nanoTime() - due;
                        if (!"AA".equals(Ack.of(ack).code())) {
                            synchronized (notAccepted) {
                                notAccepted[0]++;
                            }
                        }
                    }
                }
                return latencies;
            });
        }
        List<long[]> perConnection = new ArrayList<>();
        for (Future<long[]> result : pool.invokeAll(senders)) {
            perConnection.add(result.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        long[] all = perConnection.stream().flatMapToLong(Arrays::stream).toArray();
        return new Result(messages, seconds, all, notAccepted[0]);
    }
}
