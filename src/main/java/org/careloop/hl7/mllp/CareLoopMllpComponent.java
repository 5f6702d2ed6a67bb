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

    /** Room in the read buffer beyond the largest accepted frame, for the next frames sent behind it. */
    private static final int PIPELINE_SLACK_BYTES = 1 << 20;

    private final int maxFrameBytes;

    /**
     * @param maxFrameBytes the largest message accepted: each connection's buffer may grow to this plus 1 MiB (so
     *                      that a frame just over the limit is read whole and refused with AE), and a sender of a
     *                      still larger frame is reset instead of growing the heap without bound
     */
    public CareLoopMllpComponent(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint configured = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        configured.getConfiguration().setMaxBufferSize(maxFrameBytes + PIPELINE_SLACK_BYTES);
        return new PipelinedMllpEndpoint(uri, this, configured);
    }
}
