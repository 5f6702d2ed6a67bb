package org.careloop.whatsapp.outbox;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.careloop.config.Clocks;

/**
 * {@code careloop-outbox:due}: the outbox of messages to patients as a Camel component. {@code from} it hands each
 * message to the route as it comes due, claimed (durably) before the route runs, so that a message the engine died
 * while sending is never sent blindly again. The outbox is the engine's, found in the registry.
 */
@Component("careloop-outbox")
public class OutboxComponent extends DefaultComponent {

    @Metadata(label = "advanced", autowired = true, description = "The outbox whose due messages are handed on")
    private Outbox outbox;
    @Metadata(label = "advanced", description = "The clock messages are due by (the engine's, else the system's)")
    private Clock clock;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!"due".equals(remaining)) {
            throw new IllegalArgumentException(uri + ": the outbox's endpoint is careloop-outbox:due (its messages as "
                    + "they come due)");
        }
        OutboxEndpoint endpoint = new OutboxEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The outbox set or autowired, if any (Camel's autowiring asks, to see whether it should look one up). */
    public Outbox getOutbox() {
        return outbox;
    }

    public void setOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The outbox set, or the one in the registry. */
    Outbox outbox() {
        if (outbox == null) {
            outbox = getCamelContext().getRegistry().findSingleByType(Outbox.class);
        }
        if (outbox == null) {
            throw new IllegalStateException("careloop-outbox needs CareLoop's outbox: bind an Outbox");
        }
        return outbox;
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
}
