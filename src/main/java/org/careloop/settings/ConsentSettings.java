package org.careloop.settings;

import java.util.Optional;
import org.careloop.consent.OptOutWords;
import org.careloop.hl7.extract.ConsentField;

/**
 * {@code careloop.consent.*}: the words that opt a patient out, and where an HL7 feed records consent.
 *
 * @param hl7Field the field (e.g. {@code ZPI-2}) and its opt-in and opt-out values, if the feed carries one
 */
public record ConsentSettings(OptOutWords optOutWords, Optional<ConsentField> hl7Field) {

    public static ConsentSettings read(SettingsReader settings) {
        return new ConsentSettings(new OptOutWords(settings.required("careloop.consent.opt-out-words"),
                settings.text("careloop.consent.opt-out-words-in-short-replies"),
                settings.text("careloop.consent.probable-opt-out-words"),
                settings.integer("careloop.consent.short-reply-max-words", 1)),
                ConsentField.parse(settings.text("careloop.consent.hl7-field"),
                        settings.text("careloop.consent.hl7-opt-in-values"),
                        settings.text("careloop.consent.hl7-opt-out-values")));
    }
}
