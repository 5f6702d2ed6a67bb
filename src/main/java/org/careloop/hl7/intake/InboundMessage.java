package org.careloop.hl7.intake;

import java.nio.charset.Charset;
import java.util.Optional;

/**
 * One received frame: its exact bytes, the charset they are read with (MSH-18 when CareLoop knows it, else the
 * configured default), and, when it is HL7 at all, its segments and header.
 */
public record InboundMessage(byte[] raw, Charset charset, String text, Er7Message er7, MessageHeader header) {

    public static InboundMessage decode(byte[] raw, Charset defaultCharset) {
        Optional<Er7Message> latin1View = Er7Message.read(Hl7Charsets.latin1(raw));
        Charset charset = latin1View
                .flatMap(m -> Hl7Charsets.fromMsh18(m.component("MSH", 18, 1)))
                .orElse(defaultCharset);
        String text = new String(raw, charset);
        Er7Message er7 = Er7Message.read(text).orElse(null);
        return new InboundMessage(raw, charset, text, er7, er7 == null ? null : MessageHeader.of(er7));
    }

    public boolean isHl7() {
        return er7 != null;
    }
}
