package org.careloop.hl7.mllp;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpEndpoint;

/**
 * camel-mllp, with one part replaced: the loop that reads each connection ({@link FrameLoop}).
 *
 * <p>camel-mllp 4.17 keeps only the first frame of a TCP read and discards the rest (CAMEL-24668, fixed in 4.18.x and
 * 4.22.x, neither of which this project can use yet), and it logs the discarded bytes, message content included, at
 * WARN even with {@code logPhi=false}. Every option, the bind and accept threads and the ACK writing stay camel-mllp's
 * own. Registered as the {@code mllp} component, so routes and their options read as plain camel-mllp; remove it when
 * the project moves to a Camel release with the fix.
 */
public final class CareLoopMllpComponent extends MllpComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint configured = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        return new PipelinedMllpEndpoint(uri, this, configured);
    }
}
