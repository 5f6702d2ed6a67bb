package org.careloop.hl7.mllp;

import java.net.Socket;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpInvalidAcknowledgementException;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mllp's server consumer, starting a {@link FrameLoop} for each accepted connection, one thread each, up to
 * maxConcurrentConsumers (connections beyond that are reset, as camel-mllp does).
 */
final class PipelinedMllpConsumer extends MllpTcpServerConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PipelinedMllpConsumer.class);

    private final ThreadPoolExecutor connections;
    private final AtomicLong droppedPartialFrames = new AtomicLong();
    private final AtomicLong threads = new AtomicLong();

    PipelinedMllpConsumer(MllpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        connections = new ThreadPoolExecutor(1, getConfiguration().getMaxConcurrentConsumers(),
                getConfiguration().getAcceptTimeout(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                connection -> new Thread(connection, "careloop-mllp-connection-" + threads.incrementAndGet()));
    }

    /** Wraps the exception handler configured for the endpoint: see {@link SilentWhenNoAckIsDue}. */
    void silentWhenNoAckIsDue() {
        setExceptionHandler(new SilentWhenNoAckIsDue(getExceptionHandler()));
    }

    /**
     * camel-mllp reports every message the route leaves without an ACK as an error (and, with the endpoint's
     * handler, routes that report as a message of its own); a sender in strict enhanced mode that asked for none
     * (MSH-15/16 NE) is left without one on purpose. Everything else goes to the endpoint's handler.
     */
    private static final class SilentWhenNoAckIsDue implements ExceptionHandler {

        private final ExceptionHandler endpoints;

        SilentWhenNoAckIsDue(ExceptionHandler endpoints) {
            this.endpoints = endpoints;
        }

        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            if (exception instanceof MllpInvalidAcknowledgementException && exception.getMessage() != null
                    && exception.getMessage().contains("Automatic Acknowledgement is disabled")) {
                LOG.debug("No ACK sent: the sender asked for none");
            } else {
                endpoints.handleException(message, exchange, exception);
            }
        }
    }

    @Override
    public void startConsumer(Socket socket, MllpSocketBuffer buffer) {
        FrameLoop loop = new FrameLoop(this, socket, buffer);
        getConsumerRunnables().put(loop, System.currentTimeMillis());
        try {
            connections.submit(loop);
            getEndpoint().updateLastConnectionEstablishedTicks();
        } catch (RejectedExecutionException full) {
            LOG.warn("Refusing a connection from {}: all {} MLLP connections are in use "
                    + "(raise careloop.mllp.max-connections)", socket.getRemoteSocketAddress(),
                    getConfiguration().getMaxConcurrentConsumers());
            getConsumerRunnables().remove(loop);
            buffer.resetSocket(socket);
        }
    }

    /** Counts one more frame a sender abandoned by starting another; returns how many so far. */
    long countDroppedPartialFrame() {
        return droppedPartialFrames.incrementAndGet();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        connections.shutdown();
    }

    @Override
    protected void doShutdown() throws Exception {
        connections.shutdownNow();
        super.doShutdown();
    }
}
