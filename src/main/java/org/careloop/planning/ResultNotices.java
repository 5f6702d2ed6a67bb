package org.careloop.planning;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.careloop.event.CareEvent;

/**
 * A results report's notice as its mapping's {@link ResultRules} decide it: due when the batch window (or a
 * sensitive test's delay) ends, outside quiet hours; never sent for a test the site does not announce or a patient
 * too young. {@link ResultReports} applies it against what was announced before.
 */
final class ResultNotices {

    private final MessageBuilder messages;
    private final Duration lifetime;
    private final ZoneId siteZone;

    /** @param lifetime how long a notice stays worth sending after it is due */
    ResultNotices(MessageBuilder messages, Duration lifetime, ZoneId siteZone) {
        this.messages = messages;
        this.lifetime = lifetime;
        this.siteZone = siteZone;
    }

    PlanStep announce(Mapping mapping, CareEvent event, Instant now) {
        ResultDecision decision = mapping.results().judge(event, now, siteZone);
        if (decision.outcome() == ResultDecision.Outcome.WAITING) {
            return new PlanStep.AnnounceResult(mapping.id(), event.patient().key(), decision, null, null, null);
        }
        Instant due = messages.schedule(now.plus(decision.dueAfter()), null).orElseThrow();
        PlannedMessage notice = messages.message(mapping, event, decision.subjectKey(), "report-"
                + decision.orderKey(), due, due.plus(lifetime), false, true);
        notice = switch (decision.outcome()) {
            case NEVER, MINOR -> notice.suppressedFor(decision.reason());
            case HELD -> notice.noted(decision.reason());
            default -> notice;
        };
        PlannedMessage update = null;
        if (decision.correction() && mapping.results().notifyCorrections()) {
            Instant soon = messages.schedule(now, null).orElseThrow();
            update = messages.message(mapping, event, decision.subjectKey(), "corrected-" + decision.orderKey(),
                    soon, soon.plus(lifetime), false, true);
        }
        // the notice this report joins names no test: it is about several reports
        String forSeveral = mapping.shows("result.name") ? messages.requestNamingNoTest(mapping, event, notice)
                : null;
        return new PlanStep.AnnounceResult(mapping.id(), event.patient().key(), decision, notice, update, forSeveral);
    }
}
