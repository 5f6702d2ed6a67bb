package org.careloop.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * An MLLP sender over a real socket, as an EHR interface engine is: frames a message (0x0B ... 0x1C 0x0D), writes
 * it, and reads the framed ACK. Also writes several frames in one TCP write (pipelining) and raw bytes.
 */
public final class MllpClient implements AutoCloseable {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = 0x0d;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public MllpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends one message and returns its ACK. */
    public byte[] send(byte[] message) throws IOException {
        out.write(frame(message));
        out.flush();
        return readFrame();
    }

    /** Writes every message in a single TCP write, then reads one ACK per message, in order. */
    public List<byte[]> sendPipelined(List<byte[]> messages) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            all.write(frame(message));
        }
        out.write(all.toByteArray());
        out.flush();
        List<byte[]> acks = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            acks.add(readFrame());
        }
        return acks;
    }

    /** Writes bytes as they are, framed or not, as a broken sender might. */
    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the next framed ACK. */
    public byte[] readAck() throws IOException {
        return readFrame();
    }

    public static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = END;
        framed[framed.length - 1] = CR;
        return framed;
    }

    private byte[] readFrame() throws IOException {
        int b = in.read();
        if (b != START) {
            throw new IOException("expected the start of an MLLP frame, got " + b);
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while ((b = in.read()) != END) {
            if (b < 0) {
                throw new IOException("connection closed inside a frame");
            }
            payload.write(b);
        }
        if (in.read() != CR) {
            throw new IOException("MLLP frame not ended by 0x1C 0x0D");
        }
        return payload.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
