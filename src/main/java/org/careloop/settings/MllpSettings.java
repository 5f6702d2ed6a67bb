package org.careloop.settings;

import java.nio.charset.Charset;

/**
 * {@code careloop.mllp.*}: the HL7 listener (its route reads host, port, connections and backlog; the intake the
 * rest).
 *
 * @param defaultCharset the charset of a message whose MSH-18 names none
 */
public record MllpSettings(String host, int port, int maxConnections, int backlog, int maxFrameBytes,
        Charset defaultCharset) {

    public static MllpSettings read(SettingsReader settings) {
        return new MllpSettings(settings.required("careloop.mllp.host"), settings.port("careloop.mllp.port"),
                settings.integer("careloop.mllp.max-connections", 1), settings.integer("careloop.mllp.backlog", 1),
                settings.integer("careloop.mllp.max-frame-bytes", 1024),
                settings.charset("careloop.mllp.default-charset"));
    }
}
