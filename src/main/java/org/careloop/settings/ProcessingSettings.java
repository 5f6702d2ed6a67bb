package org.careloop.settings;

import java.time.Duration;

/**
 * {@code careloop.processing.*}: the stage that turns journaled HL7 messages into CareEvents. Its route reads these
 * keys; they are read here too so that a bad value stops start-up with its name.
 */
public record ProcessingSettings(boolean enabled, int batchSize, int threads, Duration idlePoll) {

    public static ProcessingSettings read(SettingsReader settings) {
        return new ProcessingSettings(settings.flag("careloop.processing.enabled"),
                settings.integer("careloop.processing.batch-size", 1),
                settings.integer("careloop.processing.threads", 1),
                settings.millis("careloop.processing.idle-poll-ms"));
    }
}
