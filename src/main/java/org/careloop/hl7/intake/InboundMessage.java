package org.careloop.hl7.intake;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One received frame: its exact bytes, the charset they are read with (MSH-18 when CareLoop knows it, else the
 * configured default), and, when it is HL7 at all, its segments and header.
 *
 * <p>{@code echoHeader} is the same MSH read one char a byte (ISO-8859-1): the ACK is built from it and sent the same
 * way, so that MSA-2 and MSH-5/6 give back the sender's bytes exactly, even bytes that are not valid in the
 * message's charset (decoded, they would come back as U+FFFD and the sender could not match its control id).
 */
public record InboundMessage(byte[] raw, Charset charset, String text, Er7Message er7, MessageHeader header,
        MessageHeader echoHeader) {

    public static InboundMessage decode(byte[] raw, Charset defaultCharset) {
        Optional<Er7Message> msh = firstSegmentAsBytes(raw);
        Charset charset = msh.flatMap(first -> Hl7Charsets.fromMsh18(first.component("MSH", 18, 1)))
                .orElse(defaultCharset);
        String text = new String(raw, charset);
        Er7Message er7 = Er7Message.read(text).orElse(null);
        return new InboundMessage(raw, charset, text, er7, er7 == null ? null : MessageHeader.of(er7),
                er7 == null ? null : msh.map(MessageHeader::of).orElse(null));
    }

    public boolean isHl7() {
        return er7 != null;
    }

    /** The first segment read as ISO-8859-1, one char a byte, before the charset is known. */
    private static Optional<Er7Message> firstSegmentAsBytes(byte[] raw) {
        int start = 0;
        while (start < raw.length && (raw[start] == '\r' || raw[start] == '\n' || raw[start] == ' ')) {
            start++;
        }
        int end = start;
        while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
            end++;
        }
        return Er7Message.read(new String(raw, start, end - start, StandardCharsets.ISO_8859_1));
    }
}
