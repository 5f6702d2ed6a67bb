package org.careloop.planning;

import java.time.Duration;

/**
 * What a results mapping's rules decide about one report, before the store is asked what was announced already
 * ({@link ResultReports}).
 *
 * @param orderKey   the report: "sending application|filler id" (else the placer id)
 * @param groupKey   what one notice covers: "visit:APP|PV1-19", else "group:APP|ORC-4", else "order:" + orderKey
 * @param status     the report's status as announced rules compare it (F, C, P...)
 * @param correction the report corrects a final result (C)
 * @param dueAfter   how long after now its notice is due: the batch window, or a sensitive rule's delay
 */
public record ResultDecision(Outcome outcome, String reason, String orderKey, String groupKey, String status,
        boolean correction, Duration dueAfter) {

    public enum Outcome {
        /** Not final yet (or cancelled): nothing is announced until a final or corrected result comes. */
        WAITING,
        /** Announced when the batch window ends, together with the group's other results. */
        ANNOUNCE,
        /** A sensitive test announced on its own after the site's delay. */
        HELD,
        /** A sensitive test the site never announces. */
        NEVER,
        /** The patient is younger than the mapping's minimum age. */
        MINOR
    }

    /** The subject of the group's notices on the outbox: "results:" + group. */
    public String subjectKey() {
        return "results:" + groupKey;
    }
}
