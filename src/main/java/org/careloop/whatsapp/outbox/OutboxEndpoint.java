package org.careloop.whatsapp.outbox;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** The outbox's due messages, handed to one route as they come due, each claimed before it is handed on. */
@UriEndpoint(firstVersion = "1.0.0", scheme = "careloop-outbox", title = "CareLoop Outbox",
        syntax = "careloop-outbox:name", consumerOnly = true, category = {Category.MESSAGING, Category.DATABASE},
        headersClass = OutboxHeaders.class)
public class OutboxEndpoint extends DefaultEndpoint {

    @UriPath(description = "What the endpoint hands on: due (the messages as they come due)", enums = "due")
    @Metadata(required = true)
    private final String name;
    @UriParam(label = "consumer", defaultValue = "80", description = "The most messages handed on per second, "
            + "evenly (the sending number's rate at Meta); a batch is claimed a quarter-second's worth at a time")
    private double sendsPerSecond = 80;
    @UriParam(label = "consumer", defaultValue = "0", description = "Messages being sent at once, each on a "
            + "thread of its own; 0: sendsPerSecond times 0.4, plus 8 (enough for Meta's answer time)")
    private int maxInFlight;
    @UriParam(label = "consumer", defaultValue = "100", description = "How long an idle consumer waits, in "
            + "milliseconds, before it looks again (a message committed in this engine wakes it at once)")
    private long idleDelay = 100;
    @UriParam(label = "consumer", defaultValue = "HOLD", description = "A message claimed when the engine died, or "
            + "whose route failed before recording its outcome, may have been sent: HOLD it as UNKNOWN for an "
            + "operator, or RESEND it (the patient may get it twice)")
    private OutcomeUnknown outcomeUnknown = OutcomeUnknown.HOLD;
    @UriParam(label = "consumer", description = "Asked before each claim: while it is closed (sending stopped), "
            + "nothing is claimed and due messages wait")
    private SendingGate gate;

    OutboxEndpoint(String uri, OutboxComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " hands due messages to a route: use it in "
                + "from, not to");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        OutboxConsumer consumer = new OutboxConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public OutboxComponent getComponent() {
        return (OutboxComponent) super.getComponent();
    }

    /** The threads that send: as set, or enough for the rate and Meta's answer time. */
    int inFlight() {
        return maxInFlight > 0 ? maxInFlight : (int) Math.ceil(sendsPerSecond * 0.4) + 8;
    }

    public String getName() {
        return name;
    }

    public double getSendsPerSecond() {
        return sendsPerSecond;
    }

    public void setSendsPerSecond(double sendsPerSecond) {
        this.sendsPerSecond = sendsPerSecond;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public long getIdleDelay() {
        return idleDelay;
    }

    public void setIdleDelay(long idleDelay) {
        this.idleDelay = idleDelay;
    }

    public OutcomeUnknown getOutcomeUnknown() {
        return outcomeUnknown;
    }

    public void setOutcomeUnknown(OutcomeUnknown outcomeUnknown) {
        this.outcomeUnknown = outcomeUnknown;
    }

    public SendingGate getGate() {
        return gate;
    }

    public void setGate(SendingGate gate) {
        this.gate = gate;
    }
}
