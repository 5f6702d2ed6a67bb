package org.careloop.hl7.mllp;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
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
    private static final byte START_OF_BLOCK = 0x0b;
    private static final byte END_OF_DATA = 0x0d;

    private final PipelinedMllpConsumer consumer;
    private volatile boolean stopped;

    FrameLoop(PipelinedMllpConsumer consumer, Socket socket, MllpSocketBuffer buffer) {
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

    /**
     * Takes the first frame out of the buffer, runs it through the route (which writes its ACK), keeps the rest. A
     * start byte inside the frame means the sender gave up on a frame and started again: the unfinished part is
     * dropped, so that the frame that follows is acknowledged as itself.
     */
    private void processFirstFrame(MllpSocketBuffer buffer) {
        if (buffer.hasLeadingOutOfBandData() && !isLoneEndOfData(buffer)) {
            LOG.warn("Ignoring {} bytes before an MLLP frame from {}", buffer.getStartOfBlockIndex(), getRemoteAddress());
        }
        byte[] frame = buffer.toMllpPayload();
        byte[] rest = bytesAfterFrame(buffer);
        buffer.reset();
        int restart = lastIndexOf(frame, START_OF_BLOCK);
        if (restart >= 0) {
            LOG.warn("Dropped an unfinished MLLP frame of {} bytes from {}: a new frame started before it ended "
                    + "({} dropped by this listener)", restart, getRemoteAddress(), consumer.countDroppedPartialFrame());
            frame = Arrays.copyOfRange(frame, restart + 1, frame.length);
        }
        consumer.processMessage(frame, this);
        buffer.reset();
        buffer.write(rest);
    }

    /** The CR of a previous frame that ended with 0x1C alone, arriving in the next read: not worth a warning. */
    private static boolean isLoneEndOfData(MllpSocketBuffer buffer) {
        return buffer.getStartOfBlockIndex() == 1 && buffer.toByteArray()[0] == END_OF_DATA;
    }

    private static int lastIndexOf(byte[] bytes, byte value) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
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
