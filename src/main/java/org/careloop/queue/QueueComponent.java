package org.careloop.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.careloop.config.Clocks;
import org.careloop.store.GroupCommitWriter;

/**
 * {@code careloop-queue:name}: CareLoop's durable work queues as a Camel component. {@code from} a queue hands its
 * entries to the route one by one, each in the store transaction that completes it; {@code to} a queue adds the
 * exchange's body as an entry, in that same transaction when there is one. The store is the engine's group commit
 * writer, found in the registry.
 */
@Component("careloop-queue")
public class QueueComponent extends DefaultComponent {

    @Metadata(label = "advanced", autowired = true, description = "The store's group commit writer")
    private GroupCommitWriter writer;
    @Metadata(label = "advanced", description = "The clock entries are due by (the engine's, else the system's)")
    private Clock clock;

    private final QueueSignals signals = new QueueSignals();
    private final Set<String> consumed = ConcurrentHashMap.newKeySet();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || !remaining.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException(uri + ": a queue's name is 1 to 64 lower-case letters, digits or '-'");
        }
        QueueEndpoint endpoint = new QueueEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The writer set or autowired, if any (Camel's autowiring asks, to see whether it should look one up). */
    public GroupCommitWriter getWriter() {
        return writer;
    }

    /** The store's writer, found in the registry when it was not set. */
    GroupCommitWriter writer() {
        if (writer == null) {
            writer = getCamelContext().getRegistry().findSingleByType(GroupCommitWriter.class);
        }
        if (writer == null) {
            throw new IllegalStateException("careloop-queue needs CareLoop's store: bind a GroupCommitWriter");
        }
        return writer;
    }

    public void setWriter(GroupCommitWriter writer) {
        this.writer = writer;
    }

    public Clock getClock() {
        if (clock == null) {
            clock = Clocks.of(getCamelContext(), ZoneOffset.UTC);
        }
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    /** Wakes the queue's consumer: work was committed to it outside a queue route (a stage of its own). */
    public void signal(String queue) {
        signals.signal(queue);
    }

    /**
     * Waits until {@link #signal} is called for {@code name}, at most {@code longest} (at once if it was since the
     * last wait): how a stage that keeps its own table (the outbox) is woken like a queue's consumer.
     */
    public void awaitSignal(String name, Duration longest) throws InterruptedException {
        signals.await(name, longest);
    }

    QueueSignals signals() {
        return signals;
    }

    void consuming(String queue) {
        consumed.add(queue);
    }

    /** The queues a route of this context consumes. */
    public Set<String> consumedQueues() {
        return Set.copyOf(consumed);
    }
}
