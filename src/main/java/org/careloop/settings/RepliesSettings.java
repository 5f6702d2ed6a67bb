package org.careloop.settings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code careloop.replies.*}: how patients' replies are understood.
 *
 * @param correlationWindow how long after our message a reply is still taken as its answer
 */
public record RepliesSettings(boolean enabled, Path rulesFile, Duration correlationWindow, Duration idlePoll) {

    public static RepliesSettings read(SettingsReader settings) {
        return new RepliesSettings(settings.flag("careloop.replies.enabled"),
                settings.path("careloop.replies.rules-file"),
                settings.hours("careloop.replies.correlation-window-hours"),
                settings.millis("careloop.replies.idle-poll-ms"));
    }
}
