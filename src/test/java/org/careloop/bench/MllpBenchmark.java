package org.careloop.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.careloop.app.CareLoopEngine;
import org.careloop.store.Database;
import org.careloop.store.Reads;
import org.careloop.testing.TestEngines;
import org.careloop.testing.TestPorts;

/**
 * The MLLP intake benchmark: CareLoop (at both durability levels) and, in the same run, a bare camel-mllp route that
 * only ACKs, driven by the same load generator on the same machine.
 *
 * <pre>mvn -q test-compile exec:java@bench-mllp [-Dbench.messages=20000]</pre>
 *
 * Prints, for K = 1 and 8 connections each waiting for its ACK: msgs/s and ACK latency p50/p99 for each, and the
 * ratio to the baseline; the p99 at 1,000 msg/s offered; and the rate at which the journal becomes CareEvents (after
 * a warm-up drain of the same size, so the figure is the sustained one of a running engine).
 */
public final class MllpBenchmark {

    private static final int WARM_UP = 3_000;
    private static final AtomicInteger CONTROL_IDS = new AtomicInteger();

    private MllpBenchmark() {
    }

    private static final String PLANNING = "care-events-to-outbox";
    /** Rounds of the by-mappings figures: their spread on two cores is wide, the median says more. */
    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("bench.messages", 20_000);
        int openLoopSeconds = Integer.getInteger("bench.open-loop-seconds", 10);
        byte[] template = siuOfAboutOnePointThreeKilobytes();
        int controlIdAt = new String(template, StandardCharsets.US_ASCII).indexOf("CONTROLID");
        IntFunction<byte[]> message = i -> withControlId(template, controlIdAt, "B" + CONTROL_IDS.incrementAndGet());
        System.out.printf("MLLP intake benchmark: %d-byte SIU^S12, %d messages a run, %d cores, Java %s%n%n",
                template.length, messages, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        Path work = Files.createTempDirectory("careloop-bench");
        try (Baseline baseline = new Baseline();
                CareLoopEngine crash = engine(work.resolve("crash"), "crash");
                CareLoopEngine power = engine(work.resolve("power"), "power");
                CareLoopEngine appointmentsOnly = engine(work.resolve("appointments-only"), "crash",
                        "careloop.planning.mapping-files", "mappings/appointments.yaml")) {
            Map<String, Integer> ports = Map.of("bare camel-mllp (ACK only)", baseline.port,
                    "CareLoop, durability=crash", port(crash), "CareLoop, durability=power", port(power));
            for (int port : ports.values()) {
                LoadGenerator.closedLoop(port, 8, WARM_UP, message);
            }
            // HAPI's parse paths take tens of thousands of messages to be compiled: measure processing when warm
            LoadGenerator.closedLoop(port(crash), 8, messages, message);
            drainJournal(crash);

            System.out.println("Closed loop: K connections, each sends its next message when its ACK arrives");
            System.out.printf("%-30s %3s %10s %9s %9s %14s%n", "listener", "K", "msgs/s", "p50 ms", "p99 ms",
                    "vs baseline");
            for (int connections : new int[] {1, 8}) {
                LoadGenerator.Result bare = LoadGenerator.closedLoop(baseline.port, connections, messages, message);
                print("bare camel-mllp (ACK only)", connections, bare, bare);
                print("CareLoop, durability=crash", connections,
                        LoadGenerator.closedLoop(port(crash), connections, messages, message), bare);
                print("CareLoop, durability=power", connections,
                        LoadGenerator.closedLoop(port(power), connections, messages, message), bare);
            }

            int offered = 1_000;
            System.out.printf("%nOpen loop: %d msg/s offered over 8 connections for %d s, latency from the due time%n",
                    offered, openLoopSeconds);
            System.out.printf("%-30s %10s %9s %9s %9s%n", "listener", "msgs/s", "p50 ms", "p99 ms", "max ms");
            for (Map.Entry<String, Integer> target : Map.of("bare camel-mllp (ACK only)", baseline.port,
                    "CareLoop, durability=crash", port(crash)).entrySet()) {
                LoadGenerator.Result open = LoadGenerator.openLoop(target.getValue(), 8, offered * openLoopSeconds,
                        offered, message);
                System.out.printf("%-30s %10.0f %9.2f %9.2f %9.2f%s%n", target.getKey(), open.rate(),
                        open.percentileMillis(50), open.percentileMillis(99), open.percentileMillis(100),
                        notAccepted(open));
            }

            System.out.printf("%nProcessing: the crash engine's journal (processing was paused) becomes CareEvents%n");
            drainAndPrint(crash, "with planning running beside it (the engine as it runs)");
            LoadGenerator.closedLoop(port(crash), 8, messages, message);
            crash.camelContext().getRouteController().stopRoute(PLANNING);
            drainAndPrint(crash, "alone (planning paused: the stage's own rate)");
            crash.camelContext().getRouteController().startRoute(PLANNING);

            System.out.printf("%nBy the mappings loaded: the same SIU^S12 backlog made into CareEvents (planning "
                    + "paused), then planned alone%n");
            System.out.printf("%-44s %16s %14s%n", "mappings", "processing/s", "planning/s");
            double[][] shipped = new double[ROUNDS][];
            double[][] alone = new double[ROUNDS][];
            for (int round = 0; round < ROUNDS; round++) {
                shipped[round] = stagesAlone(crash, "shipped (careloop.planning.mapping-files)", messages, message);
                alone[round] = stagesAlone(appointmentsOnly, "appointments.yaml alone", messages, message);
            }
            System.out.printf("%-44s %16.0f %14.0f%n", "shipped, median of " + ROUNDS, median(shipped, 0),
                    median(shipped, 1));
            System.out.printf("%-44s %16.0f %14.0f%n", "appointments.yaml alone, median of " + ROUNDS,
                    median(alone, 0), median(alone, 1));
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void drainAndPrint(CareLoopEngine crash, String how) throws Exception {
        long pending = count(crash, "SELECT COUNT(*) FROM hl7_journal WHERE state = 'RECEIVED'");
        double seconds = drainJournal(crash);
        System.out.printf("%d journal entries to CareEvents in %.2f s, %s: %.0f msgs/s (failed: %d)%n", pending,
                seconds, how, pending / seconds,
                count(crash, "SELECT COUNT(*) FROM hl7_journal WHERE state = 'FAILED'"));
    }

    private static double median(double[][] rounds, int figure) {
        return Arrays.stream(rounds).mapToDouble(r -> r[figure]).sorted().skip(rounds.length / 2).findFirst()
                .orElseThrow();
    }

    /**
     * Processing with planning paused, then planning alone, on a backlog of {@code messages} bookings; prints and
     * returns the two rates.
     */
    private static double[] stagesAlone(CareLoopEngine engine, String mappings, int messages,
            IntFunction<byte[]> message)
            throws Exception {
        engine.camelContext().getRouteController().stopRoute(PLANNING);
        LoadGenerator.closedLoop(port(engine), 8, messages, message);
        long journaled = count(engine, "SELECT COUNT(*) FROM hl7_journal WHERE state = 'RECEIVED'");
        double processing = drainJournal(engine);
        long events = count(engine, "SELECT COUNT(*) FROM care_event WHERE plan_state = 'NEW'");
        long start = System.nanoTime();
        engine.camelContext().getRouteController().startRoute(PLANNING);
        // events are planned in id order: watch the newest one (an index lookup; a COUNT would scan), then confirm
        while (count(engine, "SELECT COUNT(*) FROM care_event WHERE id = (SELECT MAX(id) FROM care_event) "
                + "AND plan_state = 'NEW'") > 0
                || count(engine, "SELECT COUNT(*) FROM care_event WHERE plan_state = 'NEW'") > 0) {
            Thread.sleep(20);
        }
        double planning = (System.nanoTime() - start) / 1e9;
        double[] rates = {journaled / processing, events / planning};
        System.out.printf("%-44s %16.0f %14.0f%n", mappings, rates[0], rates[1]);
        return rates;
    }

    /** Runs the processing route until the journal has nothing pending, then pauses it again; returns seconds. */
    private static double drainJournal(CareLoopEngine engine) throws Exception {
        long start = System.nanoTime();
        engine.camelContext().getRouteController().startRoute("hl7-journal-to-care-events");
        // entries become events in id order, so the drain is done when the newest entry has its event; MAX on an
        // indexed column is an index lookup, so watching does not slow the drain down (a COUNT would scan)
        long newest = count(engine, "SELECT MAX(id) FROM hl7_journal");
        while (count(engine, "SELECT COALESCE(MAX(journal_id), 0) FROM care_event") < newest) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(500); // let the greedy scheduler see the empty journal before the route stops
        engine.camelContext().getRouteController().stopRoute("hl7-journal-to-care-events");
        return seconds;
    }

    private static void print(String name, int connections, LoadGenerator.Result result, LoadGenerator.Result bare) {
        System.out.printf("%-30s %3d %10.0f %9.2f %9.2f %13.2fx%s%n", name, connections, result.rate(),
                result.percentileMillis(50), result.percentileMillis(99), result.rate() / bare.rate(),
                notAccepted(result));
    }

    private static String notAccepted(LoadGenerator.Result result) {
        return result.notAccepted() == 0 ? "" : "  (" + result.notAccepted() + " not AA!)";
    }

    private static CareLoopEngine engine(Path dataDir, String durability, String... more) throws Exception {
        Map<String, String> settings = TestEngines.settings(dataDir);
        settings.put("careloop.store.durability", durability);
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        settings.put("careloop.processing.enabled", "false");
        return CareLoopEngine.start(settings);
    }

    private static int port(CareLoopEngine engine) {
        return Integer.parseInt(engine.camelContext().resolvePropertyPlaceholders("{{careloop.mllp.port}}"));
    }

    private static long count(CareLoopEngine engine, String sql) throws Exception {
        try (Connection connection = engine.bean("careloopStore", Database.class).dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            rows.next();
            long count = rows.getLong(1);
            Reads.end(connection);
            return count;
        }
    }

    /** The baseline: stock camel-mllp, auto-ACK, nothing else. */
    private static final class Baseline implements AutoCloseable {
        private final CamelContext camel = new DefaultCamelContext();
        private final int port = TestPorts.next();

        Baseline() throws Exception {
            MllpComponent mllp = new MllpComponent();
            mllp.setLogPhi(false);
            camel.addComponent("mllp", mllp);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("mllp:127.0.0.1:" + port + "?maxConcurrentConsumers=32&stringPayload=false&hl7Headers=false")
                            .routeId("bare-ack")
                            .process(exchange -> { }); // camel-mllp writes its own AA after the route
                }
            });
            camel.start();
        }

        @Override
        public void close() {
            camel.stop();
        }
    }

    /** An Epic-style SIU^S12 padded with the notes and diagnoses real feeds carry, to about 1.3 KB. */
    private static byte[] siuOfAboutOnePointThreeKilobytes() {
        String message = "MSH|^~\\&|EPIC|EPICADT|CARELOOP|MERCY|20261126091500||SIU^S12|CONTROLID|P|2.3\r"
                + "SCH|29461^EPIC|36996^EPIC||||NEW^New appointment|FOLLOWUP^Follow-up visit|OFFICE^Office visit|30|MIN"
                + "|^^^20261214093000|||||1234^SMITH^JOHN^^^DR|^PRN^PH^^1^617^5550100|||1234^SMITH^JOHN^^^DR||||"
                + "||Booked\r"
                + "NTE|1||Patient prefers morning appointments. Bring current medication list and insurance card.\r"
                + "PID|1||E1234567^^^EPI^MR~999-55-0001^^^SSA^SS||DOE^JANE^A^^MS||19800102|F|||12 ELM ST^APT 4^BOSTON"
                + "^MA^02110^USA^H||^PRN^PH^^1^617^5550123~^PRN^CP^^1^857^5550199|^WPN^PH^^1^617^5550188|ENG|M||"
                + "A900123^^^EPI^AN\r"
                + "PD1|||MERCY PRIMARY CARE^^1001|5566^NGUYEN^LINH^^^DR\r"
                + "PV1|1|O|CARD^201^1^MERCY^^^^^MERCY CARDIOLOGY CLINIC||||1234^SMITH^JOHN^^^DR|5566^NGUYEN^LINH^^^DR"
                + "||CAR||||1|||1234^SMITH^JOHN^^^DR|OP|36996\r"
                + "PV2|||^Follow-up after stress test\r"
                + "DG1|1||I25.10^Atherosclerotic heart disease of native coronary artery^I10||20261101|W\r"
                + "DG1|2||E78.5^Hyperlipidemia, unspecified^I10||20261101|W\r"
                + "RGS|1|A\r"
                + "AIS|1|A|99213^OFFICE VISIT EST^CPT|20261214093000|0|MIN|30|MIN|Y|Booked\r"
                + "NTE|1||Echocardiogram results to be reviewed at this visit.\r"
                + "AIL|1|A|CARD^201^1^MERCY^^^^^MERCY CARDIOLOGY CLINIC|CLINIC^Clinic|CARD|20261214093000|0|MIN|30|MIN\r"
                + "AIP|1|A|1234^SMITH^JOHN^^^DR|ATTENDING^Attending physician|CARD|20261214093000|0|MIN|30|MIN\r"
                + "AIP|2|A|7788^PARK^MINJI^^^RN|NURSE^Nurse|CARD|20261214091500|0|MIN|15|MIN\r";
        return message.getBytes(StandardCharsets.US_ASCII);
    }

    /** The template with CONTROLID replaced, by byte copies: the load generator shares the engine's CPUs. */
    private static byte[] withControlId(byte[] template, int at, String controlId) {
        byte[] id = controlId.getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[template.length - "CONTROLID".length() + id.length];
        System.arraycopy(template, 0, message, 0, at);
        System.arraycopy(id, 0, message, at, id.length);
        System.arraycopy(template, at + "CONTROLID".length(), message, at + id.length,
                template.length - at - "CONTROLID".length());
        return message;
    }
}
