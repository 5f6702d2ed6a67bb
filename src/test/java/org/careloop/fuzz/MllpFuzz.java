package org.careloop.fuzz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.careloop.app.CareLoopEngine;
import org.careloop.store.ContentHash;
import org.careloop.store.Database;
import org.careloop.store.Reads;
import org.careloop.testing.TestEngines;

/**
 * A fuzz harness for the MLLP intake, run against a real engine over real sockets, in a JVM capped at 512 MB:
 *
 * <pre>mvn -q test-compile exec:exec@fuzz-mllp [-Dfuzz.frames=10000] [-Dfuzz.seed=1]</pre>
 *
 * Mutates the messages of samples/hl7 (byte flips, truncation, segments dropped and duplicated, separators changed,
 * the wrong charset, NUL bytes, fields of up to 5 MB, frames split over several writes, pipelined frames, half
 * frames that stop arriving, more connections than careloop.mllp.max-connections) and prints how each was answered.
 * Then it checks the guarantees: every message answered AA/CA is in the journal, every one answered AE/AR/CE/CR is
 * in the rejected table, the listener still answers a valid sample with AA, and heap and threads are back where they
 * were. Exits non-zero when a check fails.
 */
public final class MllpFuzz {

    private static final byte START = 0x0b;
    private static final byte END = 0x1c;
    private static final byte CR = 0x0d;
    private static final int WORKERS = 4;
    private static final int MAX_CONNECTIONS = 8;

    /** How a frame was answered, and the bytes the engine saw (for the table checks). */
    private record Answer(String outcome, byte[] payload) {
    }

    private final Random random;
    private final List<byte[]> samples;
    private final int port;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Set<String> acceptedHashes = ConcurrentHashMap.newKeySet();
    private final Set<String> refusedHashes = ConcurrentHashMap.newKeySet();
    /** A few payloads by hash, to show what a failed check is about. */
    private final Map<String, String> examples = new ConcurrentHashMap<>();

    private MllpFuzz(long seed, List<byte[]> samples, int port) {
        this.random = new Random(seed);
        this.samples = samples;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int frames = Integer.getInteger("fuzz.frames", 10_000);
        long seed = Long.getLong("fuzz.seed", 1);
        Path work = Files.createTempDirectory("careloop-fuzz");
        Map<String, String> settings = TestEngines.settings(work);
        settings.put("careloop.mllp.max-connections", String.valueOf(MAX_CONNECTIONS));
        settings.put("careloop.whatsapp.dispatch.enabled", "false");
        // the MLLP listener alone: without subscriptions the sandbox FHIR server sends no notifications of the
        // appointments it records, which would start the HTTP server's (bounded) worker pool mid-run
        Path noSubscriptions = work.resolve("no-subscriptions.yaml");
        Files.writeString(noSubscriptions, "subscriptions: []\n");
        settings.put("careloop.fhir.subscriptions-file", noSubscriptions.toString());
        List<byte[]> samples;
        try (Stream<Path> files = Files.list(Path.of("samples", "hl7"))) {
            samples = files.filter(f -> f.toString().endsWith(".hl7")).sorted().map(MllpFuzz::read).toList();
        }
        System.out.printf("MLLP fuzz: %d frames from %d samples, seed %d, max heap %d MB, %d cores%n", frames,
                samples.size(), seed, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        boolean passed;
        try (CareLoopEngine engine = CareLoopEngine.start(settings)) {
            int port = Integer.parseInt(settings.get("careloop.mllp.port"));
            MllpFuzz fuzz = new MllpFuzz(seed, samples, port);
            long heapBefore = usedHeapAfterGc();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long started = System.nanoTime();
            fuzz.run(frames);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            passed = fuzz.report(engine.bean("careloopStore", Database.class).dataSource(), heapBefore, threadsBefore,
                    seconds);
        }
        System.exit(passed ? 0 : 1);
    }

    private void run(int frames) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            long workerSeed = random.nextLong();
            running.add(workers.submit(() -> {
                Random own = new Random(workerSeed);
                Connection connection = null;
                for (int i = next.getAndIncrement(); i < frames; i = next.getAndIncrement()) {
                    if (i % 2_000 == 1_999) {
                        tooManyConnections(i);
                    }
                    connection = connection == null || connection.closed ? new Connection(port) : connection;
                    for (Answer answer : connection.exchange(mutations(own, i))) {
                        count(answer);
                    }
                }
                if (connection != null) {
                    connection.close();
                }
                return null;
            }));
        }
        for (Future<?> worker : running) {
            worker.get();
        }
        workers.shutdown();
    }

    /** Opens more idle connections than the listener takes, then checks a sender beyond them is turned away. */
    private void tooManyConnections(int i) throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int c = 0; c < MAX_CONNECTIONS + 4; c++) {
                idle.add(new Socket("127.0.0.1", port));
            }
            try (Connection extra = new Connection(port)) {
                for (Answer answer : extra.exchange(List.of(new Frame(withControlId(samples.get(0), "X" + i),
                        false, false)))) {
                    count(answer);
                }
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    private void count(Answer answer) {
        counts.computeIfAbsent(answer.outcome(), k -> new AtomicInteger()).incrementAndGet();
        if (answer.payload() == null) {
            return;
        }
        String hash = hex(answer.outcome().equals("AA") || answer.outcome().equals("CA")
                ? ContentHash.of(answer.payload()) : sha256(kept(answer.payload())));
        if (examples.size() < 50_000) {
            examples.put(hash, answer.outcome() + " " + printable(answer.payload()));
        }
        if (answer.outcome().equals("AA") || answer.outcome().equals("CA")) {
            acceptedHashes.add(hash);
        } else if (answer.outcome().length() == 2) {
            refusedHashes.add(hash);
        }
    }

    /** One write to the listener: a frame (possibly broken), split over several writes, or left unfinished. */
    private record Frame(byte[] payload, boolean split, boolean unfinished) {
    }

    /** The frames for the i-th turn: usually one, sometimes several pipelined in one write. */
    private List<Frame> mutations(Random r, int i) {
        int pipelined = r.nextInt(20) == 0 ? 2 + r.nextInt(4) : 1;
        List<Frame> frames = new ArrayList<>();
        for (int p = 0; p < pipelined; p++) {
            byte[] message = withControlId(samples.get(r.nextInt(samples.size())), "F" + i + "-" + p);
            frames.add(new Frame(mutate(r, message), r.nextInt(10) == 0, pipelined == 1 && r.nextInt(500) == 0));
        }
        return frames;
    }

    private byte[] mutate(Random r, byte[] message) {
        return switch (r.nextInt(12)) {
            case 0 -> message;
            case 1 -> flipBytes(r, message);
            case 2 -> Arrays.copyOf(message, r.nextInt(message.length + 1));
            case 3 -> segments(r, message, false);
            case 4 -> segments(r, message, true);
            case 5 -> separators(r, message);
            case 6 -> charset(r, message);
            case 7 -> nulBytes(r, message);
            case 8 -> r.nextInt(40) == 0 ? hugeField(r, message, 5_000_000) : hugeField(r, message, 70_000);
            case 9 -> new String(message, StandardCharsets.ISO_8859_1).replace('\r', '\n')
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 10 -> flipBytes(r, segments(r, message, r.nextBoolean()));
            default -> longHeaderField(r, message);
        };
    }

    /** Random bytes in random places; never a framing byte, which would make two frames of one. */
    private static byte[] flipBytes(Random r, byte[] message) {
        byte[] flipped = message.clone();
        for (int n = 1 + r.nextInt(4); n > 0 && flipped.length > 0; n--) {
            byte b = (byte) r.nextInt(256);
            flipped[r.nextInt(flipped.length)] = b == START || b == END ? (byte) '?' : b;
        }
        return flipped;
    }

    private static byte[] segments(Random r, byte[] message, boolean duplicate) {
        List<String> segments = new ArrayList<>(List.of(text(message).split("\r")));
        int at = r.nextInt(segments.size());
        if (duplicate) {
            segments.add(at, segments.get(at));
        } else if (segments.size() > 1) {
            segments.remove(at);
        }
        return bytes(String.join("\r", segments) + "\r");
    }

    private static byte[] separators(Random r, byte[] message) {
        String text = text(message);
        String[] choices = {"#", "|", "^", "~", "&", "\\", "\t", " "};
        char from = "|^~&".charAt(r.nextInt(4));
        return bytes(text.replace(String.valueOf(from), choices[r.nextInt(choices.length)]));
    }

    /** The bytes in one charset, MSH-18 naming another. */
    private static byte[] charset(Random r, byte[] message) {
        String text = text(message).replace("DOE", "DÖË").replace("JANE", "JOSÉ");
        String[] names = {"UNICODE UTF-8", "8859/1", "ASCII", "GB 18030-2000", "NOT-A-CHARSET"};
        String withMsh18 = text.replaceFirst("\r", "||||||" + names[r.nextInt(names.length)] + "\r");
        return withMsh18.getBytes(r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static byte[] nulBytes(Random r, byte[] message) {
        byte[] withNul = message.clone();
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            withNul[r.nextInt(withNul.length)] = 0;
        }
        return withNul;
    }

    private static byte[] hugeField(Random r, byte[] message, int length) {
        String text = text(message);
        int pid = text.indexOf("\rPID|");
        if (pid < 0) {
            return bytes(text + "NTE|1||" + "N".repeat(length) + "\r");
        }
        int at = text.indexOf('|', pid + 5);
        return bytes(text.substring(0, at + 1) + "Z".repeat(length) + text.substring(at + 1));
    }

    private static byte[] longHeaderField(Random r, byte[] message) {
        String text = text(message);
        int end = mshEnd(text);
        String[] fields = text.substring(0, end).split("\\|", -1);
        int field = new int[] {2, 3, 8, 9, 11}[r.nextInt(5)];
        if (field < fields.length) {
            fields[field] = "L".repeat(200 + r.nextInt(3_000));
        }
        return bytes(String.join("|", fields) + text.substring(end));
    }

    /** One sender's connection: writes frames, reads one ACK per complete frame. */
    private static final class Connection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private boolean closed;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        List<Answer> exchange(List<Frame> frames) {
            List<Answer> answers = new ArrayList<>();
            try {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (Frame frame : frames) {
                    all.write(START);
                    all.writeBytes(frame.unfinished()
                            ? Arrays.copyOf(frame.payload(), frame.payload().length / 2) : frame.payload());
                    if (!frame.unfinished()) {
                        all.write(END);
                        all.write(CR);
                    }
                }
                write(all.toByteArray(), frames.get(0).split());
                if (frames.get(0).unfinished()) {
                    // the engine gives up on a frame that stops arriving and resets the connection
                    answers.add(new Answer(in.read() < 0 ? "closed" : "answered-half-frame", null));
                    closed = true;
                    return answers;
                }
                for (Frame frame : frames) {
                    answers.add(new Answer(code(readFrame()), frame.payload()));
                }
            } catch (SocketTimeoutException silent) {
                answers.add(new Answer("no-answer", null));
                closed = true;
            } catch (IOException reset) {
                answers.add(new Answer("closed", null));
                closed = true;
            }
            return answers;
        }

        private void write(byte[] bytes, boolean split) throws IOException {
            if (!split) {
                socket.getOutputStream().write(bytes);
                return;
            }
            for (int at = 0; at < bytes.length; at += 1 + bytes.length / 5) {
                socket.getOutputStream().write(bytes, at, Math.min(1 + bytes.length / 5, bytes.length - at));
                socket.getOutputStream().flush();
                sleepQuietly(2);
            }
        }

        private byte[] readFrame() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            while ((b = in.read()) != END) {
                if (b < 0) {
                    throw new IOException("closed inside an ACK");
                }
                ack.write(b);
            }
            in.read();
            return ack.toByteArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private boolean report(DataSource store, long heapBefore, int threadsBefore, long seconds) throws Exception {
        System.out.printf("%nAnswers (%d s):%n", seconds);
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf("  %-20s %7d%n", e.getKey(), e.getValue().get()));
        Set<String> journaled = new HashSet<>(Reads.list(store, "SELECT content_sha256 FROM hl7_journal",
                row -> hex(row.getBytes(1))));
        Set<String> rejected = new HashSet<>(Reads.list(store, "SELECT raw_message FROM hl7_rejected",
                row -> hex(sha256(row.getBytes(1)))));
        long acceptedMissing = acceptedHashes.stream().filter(h -> !journaled.contains(h)).count();
        long refusedMissing = refusedHashes.stream().filter(h -> !rejected.contains(h)).count();
        Stream.concat(acceptedHashes.stream().filter(h -> !journaled.contains(h)),
                refusedHashes.stream().filter(h -> !rejected.contains(h))).limit(5)
                .forEach(h -> System.out.println("  not found: " + examples.get(h)));
        String validAck;
        try (Connection connection = new Connection(port)) {
            validAck = connection.exchange(List.of(new Frame(withControlId(samples.get(0), "AFTER-FUZZ"), false,
                    false))).get(0).outcome();
        }
        awaitDrained(store);
        // connection threads idle after their sender left end after the accept timeout (60 s)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (ManagementFactory.getThreadMXBean().getThreadCount() > threadsBefore + 2
                && System.nanoTime() < deadline) {
            sleepQuietly(1_000);
        }
        long heapAfter = usedHeapAfterGc();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        if (threadsAfter > threadsBefore + 2) {
            Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
                    .forEach(name -> System.out.println("  thread: " + name));
        }
        System.out.printf("%nChecks:%n");
        System.out.printf("  accepted (AA/CA), distinct: %d; not in the journal: %d%n", acceptedHashes.size(),
                acceptedMissing);
        System.out.printf("  refused (AE/AR/CE/CR), distinct: %d; not in the rejected table: %d%n",
                refusedHashes.size(), refusedMissing);
        System.out.printf("  journal entries not yet processed after the drain: %d%n", count(store,
                "SELECT COUNT(*) FROM hl7_journal WHERE state = 'RECEIVED'"));
        System.out.printf("  a valid sample afterwards: %s%n", validAck);
        System.out.printf("  heap after GC: %d MB before, %d MB after (max %d MB)%n", heapBefore >> 20,
                heapAfter >> 20, Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("  threads: %d before, %d after%n", threadsBefore, threadsAfter);
        boolean passed = acceptedMissing == 0 && refusedMissing == 0 && validAck.equals("AA")
                && threadsAfter <= threadsBefore + 2 && heapAfter < Runtime.getRuntime().maxMemory() / 2;
        System.out.println(passed ? "PASSED" : "FAILED");
        return passed;
    }

    private static void awaitDrained(DataSource store) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count(store, "SELECT COUNT(*) FROM hl7_journal WHERE state = 'RECEIVED'") > 0
                && System.nanoTime() < deadline) {
            sleepQuietly(200);
        }
    }

    private static long count(DataSource store, String sql) throws SQLException {
        return Reads.first(store, sql, row -> row.getLong(1)).orElse(0L);
    }

    /** What the rejected table keeps of a message: its first MiB (careloop.hl7.rejected-max-bytes). */
    private static byte[] kept(byte[] payload) {
        return payload.length <= 1_048_576 ? payload : Arrays.copyOf(payload, 1_048_576);
    }

    private static String printable(byte[] payload) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(payload.length, 160); i++) {
            int b = payload[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("<%02x>", b));
        }
        return text.toString();
    }

    private static byte[] withControlId(byte[] message, String controlId) {
        String text = text(message);
        int end = mshEnd(text);
        String[] fields = text.substring(0, end).split("\\|", -1);
        if (fields.length > 9) {
            fields[9] = controlId;
        }
        return bytes(String.join("|", fields) + text.substring(end));
    }

    /** Where the MSH segment ends (CR or LF, as the sample has it). */
    private static int mshEnd(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\r' || text.charAt(i) == '\n') {
                return i;
            }
        }
        return text.length();
    }

    private static String code(byte[] ack) {
        String text = text(ack);
        int msa = text.indexOf("MSA");
        return msa < 0 || text.length() < msa + 6 ? "unreadable-ack" : text.substring(msa + 4, msa + 6);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        sleepQuietly(200);
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
