package org.careloop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The messages in samples/hl7, exactly as committed, and small variations of them built for a test. */
public final class Samples {

    public static final Path DIR = Path.of("samples", "hl7");

    private Samples() {
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** An SIU^S12 with the given control id and appointment id, for tests that need many distinct messages. */
    public static byte[] siu(String controlId, String appointmentId) {
        return ("MSH|^~\\&|EPIC|EPICADT|CARELOOP|MERCY|20261126091500||SIU^S12|" + controlId + "|P|2.3\r"
                + "SCH|P" + appointmentId + "^EPIC|" + appointmentId + "^EPIC||||||OFFICE|30|MIN|^^^20261214093000\r"
                + "PID|1||E" + appointmentId + "^^^EPI^MR||DOE^JANE||19800102|F|||||6175550123||ENG\r"
                + "RGS|1\rAIS|1||99213^OFFICE VISIT^CPT|20261214093000|||30|MIN\r").getBytes(StandardCharsets.US_ASCII);
    }
}
