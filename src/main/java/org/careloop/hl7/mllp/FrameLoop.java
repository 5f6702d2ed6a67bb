package org.careloop.hl7.mllp;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.Hl7Util;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one MLLP connection: every complete frame in the buffer is handed to the route and acknowledged in order
 * before the socket is read again, and the bytes after a frame (the next, pipelined frame) are kept while the ACK is
 * written through the same buffer. Logs sizes, never bytes.
 */
final class FrameLoop extends TcpSocketConsumerRunnable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameLoop.class);
    private static final byte END_OF_DATA = 0x0d;

    private final MllpTcpServerConsumer consumer;
    private volatile boolean stopped;

    FrameLoop(MllpTcpServerConsumer consumer, Socket socket, MllpSocketBuffer buffer) {
        super(consumer, socket, buffer, new Hl7Util(0, false), false);
        this.consumer = consumer;
    }

    @Override
    public void run() {
        Socket socket = getSocket();
        MllpSocketBuffer buffer = getMllpBuffer();
        String originalName = Thread.currentThread().getName();
        Thread.currentThread().setName("mllp-connection " + getCombinedAddress());
        try {
            while (!stopped && socket.isConnected() && !socket.isClosed()) {
                if (!buffer.hasCompleteEnvelope() && !read(socket, buffer)) {
                    break;
                }
                while (buffer.hasCompleteEnvelope()) {
                    processFirstFrame(buffer);
                }
                if (!buffer.isEmpty() && !buffer.hasStartOfBlock()) {
                    LOG.warn("Ignoring {} bytes outside an MLLP frame from {}", buffer.size(), getRemoteAddress());
                    buffer.reset();
                }
            }
        } catch (RuntimeException unexpected) {
            LOG.error("Closing the MLLP connection from {} after an unexpected {}", getRemoteAddress(),
                    unexpected.getClass().getName());
        } finally {
            consumer.getConsumerRunnables().remove(this);
            buffer.resetSocket(socket);
            Thread.currentThread().setName(originalName);
        }
    }

    @Override
    public void stop() {
        stopped = true;
        super.stop();
    }

    /** Reads until the buffer holds a complete frame; false when the connection is over. */
    private boolean read(Socket socket, MllpSocketBuffer buffer) {
        try {
            buffer.readFrom(socket);
            return true;
        } catch (SocketTimeoutException quiet) {
            if (buffer.isEmpty()) {
                return true;
            }
            LOG.warn("Resetting the MLLP connection from {}: a frame stopped arriving after {} bytes",
                    getRemoteAddress(), buffer.size());
            buffer.reset();
            return false;
        } catch (Exception closedOrBroken) {
            LOG.debug("MLLP connection from {} ended: {}", getRemoteAddress(), closedOrBroken.getClass().getSimpleName());
            return false;
        }
    }

    /** Takes the first frame out of the buffer, runs it through the route (which writes its ACK), keeps the rest. */
    private void processFirstFrame(MllpSocketBuffer buffer) {
        if (buffer.hasLeadingOutOfBandData()) {
            LOG.warn("Ignoring {} bytes before an MLLP frame from {}", buffer.getStartOfBlockIndex(), getRemoteAddress());
        }
        byte[] frame = buffer.toMllpPayload();
        byte[] rest = bytesAfterFrame(buffer);
        buffer.reset();
        consumer.processMessage(frame, this);
        buffer.reset();
        buffer.write(rest);
    }

    /** Everything after the frame's end-of-block (and its CR), which may be the next frame. */
    private static byte[] bytesAfterFrame(MllpSocketBuffer buffer) {
        byte[] all = buffer.toByteArray();
        int end = buffer.getEndOfBlockIndex() + 1;
        if (end < all.length && all[end] == END_OF_DATA) {
            end++;
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream(Math.max(0, all.length - end));
        rest.write(all, end, Math.max(0, all.length - end));
        return rest.toByteArray();
    }
}
