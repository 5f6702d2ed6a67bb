package org.careloop.planning;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.careloop.event.CareEvent;

/**
 * A post-discharge sequence: one check-in per day after the day of discharge (PV1-45, else the message's time), at
 * its local time (outside quiet hours); a day already past is skipped, and each is worth sending for
 * {@code lifetime}.
 */
final class DischargeCheckins {

    private final MessageBuilder messages;
    private final Duration lifetime;
    private final ZoneId siteZone;

    DischargeCheckins(MessageBuilder messages, Duration lifetime, ZoneId siteZone) {
        this.messages = messages;
        this.lifetime = lifetime;
        this.siteZone = siteZone;
    }

    List<PlannedMessage> plan(Mapping mapping, CareEvent event, String subject, Instant now, boolean refreshOnly,
            boolean direct) {
        Instant discharged = event.visit() != null && event.visit().dischargedAt() != null
                ? event.visit().dischargedAt()
                : event.source().messageTime() != null ? event.source().messageTime() : now;
        LocalDate day = discharged.atZone(siteZone).toLocalDate();
        List<PlannedMessage> planned = new ArrayList<>();
        for (Mapping.CheckinDay checkin : mapping.afterDischarge()) {
            Instant moment = day.plusDays(checkin.days()).atTime(checkin.at()).atZone(siteZone).toInstant();
            if (moment.isBefore(now)) {
                continue;
            }
            messages.schedule(moment, null).ifPresent(due -> planned.add(messages.message(mapping, event, subject,
                    checkin.slot(), due, due.plus(lifetime), refreshOnly, direct)));
        }
        return planned;
    }
}
