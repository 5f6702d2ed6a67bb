package org.careloop.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code careloop.planning.*}: which messages CareEvents plan, and when.
 *
 * @param mappingFiles          the mapping files, in order
 * @param minNotice             a message moved by quiet hours is not sent when less than this remains before the
 *                              appointment
 * @param lateMargin            after downtime, a late message is still sent while the appointment is more than this
 *                              away
 * @param immediateLifetime     how long an immediate message (a confirmation) stays worth sending
 * @param deathDispositions     the PV1-36 discharge dispositions that mean the patient died
 */
public record PlanningSettings(boolean enabled, List<Path> mappingFiles, Duration minNotice, Duration lateMargin,
        Duration immediateLifetime, Duration idlePoll, Set<String> deathDispositions) {

    public static PlanningSettings read(SettingsReader settings) {
        return new PlanningSettings(settings.flag("careloop.planning.enabled"),
                settings.list("careloop.planning.mapping-files").stream().map(Path::of).toList(),
                settings.hours("careloop.planning.min-notice-hours"),
                settings.hours("careloop.planning.late-margin-hours"),
                settings.hours("careloop.planning.immediate-lifetime-hours"),
                settings.millis("careloop.planning.idle-poll-ms"),
                Set.copyOf(settings.list("careloop.planning.death-dispositions")));
    }
}
