package org.careloop.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.careloop.store.GroupCommitWriter;
import org.careloop.testing.EngineTest;
import org.junit.jupiter.api.Test;

/**
 * The durable work queue through its Camel component, on the engine's store, with routes of the test's own:
 * entries handed on oldest first; a key's entries one at a time, in order, while other keys go on; one failing
 * entry among a thousand tried again alone and parked FAILED with its reason, the others handled; a step that fails
 * after its producer wrote leaves no trace of that write, and the entry is handed on again, once.
 */
class WorkQueueTest extends EngineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> handled = new CopyOnWriteArrayList<>();

    @Test
    void entriesAreHandedOnOldestFirst() throws Exception {
        consume("careloop-queue:in-order", exchange -> handled.add(exchange.getIn().getBody(String.class)));
        List<String> sent = IntStream.range(0, 300).mapToObj(i -> "entry-" + i).toList();

        enqueue("in-order", sent.stream().map(body -> new String[] {null, body}).toList());

        await().atMost(WAIT).until(() -> handled.size() == sent.size());
        assertThat(handled).containsExactlyElementsOf(sent);
        assertThat(count("SELECT COUNT(*) FROM work_queue")).isZero();
    }

    @Test
    void aKeysEntriesWaitForTheOneBeforeThemWhileOtherKeysGoOn() throws Exception {
        consume("careloop-queue:by-key?retryDelay=300", exchange -> {
            String body = exchange.getIn().getBody(String.class);
            if (body.equals("A1") && exchange.getIn().getHeader(QueueHeaders.ATTEMPTS, Integer.class) == 0) {
                throw new IllegalStateException("A1 fails its first attempt");
            }
            handled.add(body);
        });

        enqueue("by-key", List.of(new String[] {"A", "A1"}, new String[] {"B", "B1"}, new String[] {"A", "A2"},
                new String[] {"B", "B2"}, new String[] {"A", "A3"}));

        await().atMost(WAIT).until(() -> handled.size() == 5);
        assertThat(handled).containsExactly("B1", "B2", "A1", "A2", "A3");
    }

    @Test
    void anEntryPutInLineForLaterHoldsBackItsKeyUntilThenWhileOtherKeysGoOn() throws Exception {
        consume("careloop-queue:later", exchange -> handled.add(exchange.getIn().getBody(String.class)));
        Instant now = Instant.now();
        writer().submit(connection -> {
            WorkQueue.enqueueAt(connection, "later", "A", "A1", now, now.plusSeconds(5));
            WorkQueue.enqueue(connection, "later", "A", "A2", now);
            WorkQueue.enqueue(connection, "later", "B", "B1", now);
            WorkQueue.enqueue(connection, "later", null, "unkeyed", now);
            return null;
        }).get();

        await().atMost(WAIT).until(() -> handled.size() == 2);
        assertThat(handled).containsExactly("B1", "unkeyed");
        assertThat(count("SELECT COUNT(*) FROM work_queue_held WHERE order_key = 'A'")).isEqualTo(1);
        await().atMost(WAIT).until(() -> handled.size() == 4);
        assertThat(handled).containsExactly("B1", "unkeyed", "A1", "A2");
        assertThat(count("SELECT COUNT(*) FROM work_queue")).isZero();
        assertThat(count("SELECT COUNT(*) FROM work_queue_held")).as("its time passed: the hold is gone").isZero();
    }

    @Test
    void oneFailingEntryAmongAThousandFailsAloneAndIsParkedWithItsReason() throws Exception {
        consume("careloop-queue:one-bad?maxAttempts=3&retryDelay=20", exchange -> {
            String body = exchange.getIn().getBody(String.class);
            if (body.equals("entry-500")) {
                throw new IllegalArgumentException("entry-500 cannot be handled");
            }
            handled.add(body);
        });

        enqueue("one-bad", IntStream.range(0, 1000).mapToObj(i -> new String[] {null, "entry-" + i}).toList());

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM work_queue WHERE state = 'FAILED'") == 1);
        assertThat(handled).hasSize(999).doesNotContain("entry-500");
        assertThat(count("SELECT COUNT(*) FROM work_queue WHERE state = 'READY'")).isZero();
        List<WorkQueue.Parked> parked = writer().submit(c -> WorkQueue.parked(c, "one-bad", 10)).get();
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).reason()).isEqualTo("IllegalArgumentException: entry-500 cannot be handled");
        assertThat(count("SELECT attempts FROM work_queue WHERE state = 'FAILED'")).isEqualTo(3);
        JsonNode queues = new ObjectMapper().readTree(api("GET", "/api/queues").body());
        assertThat(queues.findValuesAsText("queue")).containsExactly("care-events", "fhir-deliveries",
                "fhir-writebacks", "hl7-journal", "one-bad", "patient-replies", "sandbox-ehr", "whatsapp-webhooks");
        JsonNode oneBad = queues.path(4);
        assertThat(oneBad.path("ready").asLong()).isZero();
        assertThat(oneBad.path("failed").asLong()).isEqualTo(1);
        assertThat(oneBad.hasNonNull("oldest")).as("nothing in line").isFalse();
    }

    @Test
    void aStepThatFailsAfterItsProducerWroteLeavesNoTraceAndIsHandedOnAgainOnce() throws Exception {
        engine.camelContext().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("careloop-queue:first?retryDelay=50").routeConfigurationId("queue-stages")
                        .to("careloop-queue:second")
                        .process(exchange -> {
                            if (exchange.getIn().getHeader(QueueHeaders.ATTEMPTS, Integer.class) == 0) {
                                throw new IllegalStateException("fails after the hand-off was written");
                            }
                        });
            }
        });
        consume("careloop-queue:second", exchange -> handled.add(exchange.getIn().getBody(String.class)));

        enqueue("first", IntStream.range(0, 20).mapToObj(i -> new String[] {null, "entry-" + i}).toList());

        await().atMost(WAIT).until(() -> handled.size() >= 20 && count("SELECT COUNT(*) FROM work_queue") == 0);
        assertThat(handled).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void concurrentConsumersHandOnInEntryOrderAndAKeysEntriesOneAfterAnother() throws Exception {
        Map<String, Integer> running = new ConcurrentHashMap<>();
        List<String> overlapped = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        engine.camelContext().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("careloop-queue:parallel?concurrentConsumers=4&batchSize=50").routeConfigurationId("queue-stages")
                        .process(exchange -> {
                            String key = exchange.getIn().getHeader(QueueHeaders.ORDER_KEY, String.class);
                            threads.add(Thread.currentThread().getName());
                            if (key != null && running.merge(key, 1, Integer::sum) > 1) {
                                overlapped.add(key);
                            }
                            Thread.sleep(1); // long enough for the workers to meet, were a key's entries to overlap
                            if (key != null) {
                                running.merge(key, -1, Integer::sum);
                            }
                        })
                        .to("careloop-queue:parallel-out");
            }
        });
        consume("careloop-queue:parallel-out", exchange -> handled.add(exchange.getIn().getBody(String.class)));
        List<String[]> entries = IntStream.range(0, 1000).mapToObj(i -> new String[] {i % 3 == 0 ? "key-" + (i % 7)
                : null, "entry-" + i}).toList();

        enqueue("parallel", entries);

        await().atMost(WAIT).until(() -> handled.size() == entries.size());
        assertThat(handled).as("the hand-offs commit in entry order")
                .containsExactlyElementsOf(entries.stream().map(entry -> entry[1]).toList());
        assertThat(overlapped).as("a key's entries never run at once").isEmpty();
        assertThat(threads.stream().distinct().count()).as("the route ran on several threads").isGreaterThan(1);
        assertThat(count("SELECT COUNT(*) FROM work_queue")).isZero();
    }

    @Test
    void anEntryParkedByAConcurrentConsumerGoesToTheDeadLetterEndpointWithTheParkItself() throws Exception {
        consume("careloop-queue:dead-letters", exchange -> handled.add(exchange.getIn().getBody(String.class)));
        List<String> reasons = new CopyOnWriteArrayList<>();
        engine.camelContext().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:parked").process(exchange -> reasons.add(exchange.getIn().getHeader(
                        QueueHeaders.FAILURE, String.class))).to("careloop-queue:dead-letters");
                from("careloop-queue:with-dead-letters?concurrentConsumers=2&maxAttempts=2&retryDelay=20"
                        + "&deadLetterUri=direct:parked").routeConfigurationId("queue-stages")
                        .process(exchange -> {
                            if (exchange.getIn().getBody(String.class).equals("entry-7")) {
                                throw new IllegalArgumentException("entry-7 cannot be handled");
                            }
                        });
            }
        });

        enqueue("with-dead-letters", IntStream.range(0, 10).mapToObj(i -> new String[] {null, "entry-" + i}).toList());

        await().atMost(WAIT).until(() -> handled.size() == 1);
        assertThat(handled).containsExactly("entry-7");
        assertThat(reasons).containsExactly("IllegalArgumentException: entry-7 cannot be handled");
        assertThat(count("SELECT COUNT(*) FROM work_queue WHERE state = 'READY'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM work_queue WHERE state = 'FAILED' AND queue = 'with-dead-letters'"))
                .isEqualTo(1);
    }

    /** A route of the test's own consuming the queue. */
    private void consume(String uri, Processor step) throws Exception {
        engine.camelContext().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeConfigurationId("queue-stages").process(step);
            }
        });
    }

    /** Adds entries (order key, body) in one transaction, as a stage would with its own work. */
    private void enqueue(String queue, List<String[]> entries) throws Exception {
        writer().submit(connection -> {
            for (String[] entry : entries) {
                WorkQueue.enqueue(connection, queue, entry[0], entry[1], Instant.now());
            }
            return null;
        }).get();
        engine.camelContext().getComponent("careloop-queue", QueueComponent.class).signal(queue);
    }

    private GroupCommitWriter writer() {
        return engine.bean("careloopWriter", GroupCommitWriter.class);
    }
}
