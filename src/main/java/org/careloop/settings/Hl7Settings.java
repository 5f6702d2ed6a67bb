package org.careloop.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.careloop.hl7.intake.AckCode;
import org.careloop.hl7.intake.AckWriter;
import org.careloop.hl7.journal.Hl7Journal;

/**
 * {@code careloop.hl7.*}: how HL7 messages are acknowledged, screened and kept.
 *
 * @param commitTimeout how long an ACK waits for the journal's commit before the sender gets AR
 * @param siteCodes     the site's code mappings file, if set
 */
public record Hl7Settings(String application, String facility, AckWriter.AcceptAcks acceptAcks,
        Hl7Journal.ControlIdReuse controlIdReuse, AckCode unhandledTypeAck, int maxFieldChars, int rejectedMaxBytes,
        Duration commitTimeout, Optional<Path> siteCodes) {

    public static Hl7Settings read(SettingsReader settings) {
        String siteCodes = settings.text("careloop.hl7.site-codes");
        return new Hl7Settings(settings.required("careloop.hl7.application"),
                settings.required("careloop.hl7.facility"),
                settings.choice("careloop.hl7.accept-acks", AckWriter.AcceptAcks.class),
                settings.choice("careloop.hl7.control-id-reuse", Hl7Journal.ControlIdReuse.class),
                settings.choice("careloop.hl7.unhandled-type-ack", AckCode.class),
                settings.integer("careloop.hl7.max-field-chars", 1),
                settings.integer("careloop.hl7.rejected-max-bytes", 0),
                settings.millis("careloop.hl7.commit-timeout-ms"),
                siteCodes.isEmpty() ? Optional.empty() : Optional.of(Path.of(siteCodes)));
    }
}
