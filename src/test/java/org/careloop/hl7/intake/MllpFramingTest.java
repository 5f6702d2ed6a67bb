package org.careloop.hl7.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.careloop.testing.Ack;
import org.careloop.testing.EngineTest;
import org.careloop.testing.MllpClient;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/** Framing as real senders get it wrong, over a real socket: each frame still gets its own, exact answer. */
class MllpFramingTest extends EngineTest {

    private static final byte START = 0x0b;
    private static final byte END = 0x1c;

    @Test
    void aFrameEndedBy0x1cWithoutItsCrIsAnsweredAndSoIsTheNextOnTheConnection() throws Exception {
        try (MllpClient client = mllp()) {
            client.writeRaw(concat(new byte[] {START}, Samples.siu("NOCR-1", "90001"), new byte[] {END}));
            assertThat(Ack.of(client.readAck()).field("MSA", 2)).isEqualTo("NOCR-1");

            assertThat(Ack.of(client.send(Samples.siu("NOCR-2", "90002"))).field("MSA", 2)).isEqualTo("NOCR-2");
        }
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isEqualTo(2);
    }

    @Test
    void aNewStartByteDropsTheUnfinishedFrameAndTheNextFrameGetsItsOwnAck() throws Exception {
        byte[] abandoned = Samples.siu("HALF-1", "90003");
        try (MllpClient client = mllp()) {
            client.writeRaw(concat(new byte[] {START}, Arrays.copyOf(abandoned, abandoned.length / 2)));
            client.writeRaw(MllpClient.frame(Samples.siu("WHOLE-2", "90004")));
            Ack ack = Ack.of(client.readAck());

            assertThat(ack.code()).isEqualTo("AA");
            assertThat(ack.field("MSA", 2)).isEqualTo("WHOLE-2");
            assertThat(Ack.of(client.send(Samples.siu("WHOLE-3", "90005"))).field("MSA", 2)).isEqualTo("WHOLE-3");
        }
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE control_id IN ('WHOLE-2', 'WHOLE-3')")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE control_id = 'HALF-1'")).isZero();
    }

    @Test
    void controlIdAndSenderBytesInvalidInTheCharsetAreEchoedByteForByte() throws Exception {
        byte[] controlId = {'C', 'T', (byte) 0xff, 'L', (byte) 0xc3};
        byte[] application = {'E', 'P', (byte) 0xfe, 'C'};
        String template = new String(Samples.siu("@ID@", "90006"), StandardCharsets.US_ASCII)
                .replace("|2.3\r", "|2.3||||||UNICODE UTF-8\r").replaceFirst("\\|EPIC\\|", "|@APP@|");
        byte[] message = replace(replace(template.getBytes(StandardCharsets.US_ASCII), "@ID@", controlId), "@APP@",
                application);

        byte[] ack;
        try (MllpClient client = mllp()) {
            ack = client.send(message);
        }

        String asBytes = new String(ack, StandardCharsets.ISO_8859_1);
        Ack read = Ack.of(ack, StandardCharsets.ISO_8859_1);
        assertThat(read.code()).isEqualTo("AA");
        assertThat(read.field("MSA", 2)).isEqualTo(new String(controlId, StandardCharsets.ISO_8859_1));
        assertThat(read.field("MSH", 5)).isEqualTo(new String(application, StandardCharsets.ISO_8859_1));
        assertThat(asBytes).doesNotContain("\u00ef\u00bf\u00bd"); // U+FFFD in UTF-8
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** The first occurrence of an ASCII marker replaced by raw bytes. */
    private static byte[] replace(byte[] message, String marker, byte[] bytes) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(marker);
        return concat(Arrays.copyOf(message, at), bytes, Arrays.copyOfRange(message, at + marker.length(),
                message.length));
    }
}
