package org.careloop.hl7.intake;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One received frame: its exact bytes, the charset they are read with (MSH-18 when CareLoop knows it, else the
 * configured default), and, when it is HL7 at all, its segments and header.
 */
public record InboundMessage(byte[] raw, Charset charset, String text, Er7Message er7, MessageHeader header) {

    public static InboundMessage decode(byte[] raw, Charset defaultCharset) {
        Charset charset = msh18Charset(raw).orElse(defaultCharset);
        String text = new String(raw, charset);
        Er7Message er7 = Er7Message.read(text).orElse(null);
        return new InboundMessage(raw, charset, text, er7, er7 == null ? null : MessageHeader.of(er7));
    }

    public boolean isHl7() {
        return er7 != null;
    }

    /** MSH-18 read from the first segment's bytes as Latin-1 (one char a byte) before the charset is known. */
    private static Optional<Charset> msh18Charset(byte[] raw) {
        int start = 0;
        while (start < raw.length && (raw[start] == '\r' || raw[start] == '\n' || raw[start] == ' ')) {
            start++;
        }
        int end = start;
        while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
            end++;
        }
        return Er7Message.read(new String(raw, start, end - start, StandardCharsets.ISO_8859_1))
                .flatMap(msh -> Hl7Charsets.fromMsh18(msh.component("MSH", 18, 1)));
    }
}
