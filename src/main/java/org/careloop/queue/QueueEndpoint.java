package org.careloop.queue;

import java.time.Duration;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** One work queue, by name: consumed by one route, added to by any. */
@UriEndpoint(firstVersion = "1.0.0", scheme = "careloop-queue", title = "CareLoop Queue",
        syntax = "careloop-queue:name", category = {Category.MESSAGING, Category.DATABASE},
        headersClass = QueueHeaders.class)
public class QueueEndpoint extends DefaultEndpoint {

    @UriPath(description = "The queue's name") @Metadata(required = true)
    private final String name;
    @UriParam(label = "consumer", defaultValue = "100", description = "Entries handed on per store transaction")
    private int batchSize = 100;
    @UriParam(label = "consumer", defaultValue = "100", description = "How long an idle consumer waits, in "
            + "milliseconds, before it looks again (work committed in this engine wakes it at once)")
    private long idleDelay = 100;
    @UriParam(label = "consumer", defaultValue = "5", description = "Attempts before a failing entry is parked "
            + "FAILED (an entry whose data the store refuses is parked at once)")
    private int maxAttempts = 5;
    @UriParam(label = "consumer", defaultValue = "1000", description = "The wait before the first retry, in "
            + "milliseconds; it doubles each attempt")
    private long retryDelay = 1000;
    @UriParam(label = "consumer", defaultValue = "300000", description = "The longest wait between retries, in "
            + "milliseconds")
    private long maxRetryDelay = 300_000;
    @UriParam(label = "consumer", defaultValue = "1", description = "Threads the route runs on for the entries of "
            + "a batch, while the batch before commits. Above 1, the route's writes are kept and applied after it, in "
            + "entry order, and its steps cannot read the entry's transaction (for steps that read only what is "
            + "committed, such as parsing); entries sharing an order key still run one after another")
    private int concurrentConsumers = 1;
    @UriParam(label = "consumer", description = "An endpoint each entry parked FAILED is sent to, in the "
            + "transaction that parks it, with its reason in the CareLoopQueueFailure header (e.g. to mark the "
            + "record it stands for)")
    private String deadLetterUri;

    QueueEndpoint(String uri, QueueComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        return new QueueProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        QueueConsumer consumer = new QueueConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public QueueComponent getComponent() {
        return (QueueComponent) super.getComponent();
    }

    RetryPolicy retryPolicy() {
        return new RetryPolicy(Duration.ofMillis(retryDelay), Duration.ofMillis(maxRetryDelay), maxAttempts);
    }

    public String getName() {
        return name;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getIdleDelay() {
        return idleDelay;
    }

    public void setIdleDelay(long idleDelay) {
        this.idleDelay = idleDelay;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public String getDeadLetterUri() {
        return deadLetterUri;
    }

    public void setDeadLetterUri(String deadLetterUri) {
        this.deadLetterUri = deadLetterUri;
    }

    public long getMaxRetryDelay() {
        return maxRetryDelay;
    }

    public void setMaxRetryDelay(long maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }
}
