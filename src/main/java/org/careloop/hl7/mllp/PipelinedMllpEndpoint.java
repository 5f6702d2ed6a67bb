package org.careloop.hl7.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpEndpoint;

/** A camel-mllp endpoint whose consumer reads connections with {@link FrameLoop}. */
final class PipelinedMllpEndpoint extends MllpEndpoint {

    PipelinedMllpEndpoint(String uri, MllpComponent component, MllpEndpoint configured) {
        super(uri, component, configured.getConfiguration());
        setHostname(configured.getHostname());
        setPort(configured.getPort());
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        PipelinedMllpConsumer consumer = new PipelinedMllpConsumer(this, processor);
        configureConsumer(consumer);
        consumer.silentWhenNoAckIsDue(); // after configureConsumer, which sets the endpoint's exception handler
        return consumer;
    }
}
