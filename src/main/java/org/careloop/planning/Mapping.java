package org.careloop.planning;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.careloop.event.EventKind;

/**
 * One mapping from {@code mappings/*.yaml}: which events it answers, the template it sends (in which languages), the
 * template's parameters as expressions over the event, what each quick-reply button does, and when it is sent.
 *
 * @param file        the file it came from, for error messages
 * @param languages   the template languages offered, as the catalog names them ("en_US", "es")
 * @param fallback    the language used when the patient's is not offered
 * @param buttons     the action of each quick-reply button, in the template's button order (CONFIRM, CANCEL,
 *                    RESCHEDULE, STOP, or a site's own)
 * @param beforeStart empty to send at once; otherwise one message per offset before the appointment start
 * @param afterDischarge for a post-discharge check-in sequence, one message per day after the discharge, at a local
 *                    time; else empty
 * @param results     for a results-ready mapping, its safety rules; else null
 * @param medications for a medication-reminder mapping, its dose times and limits; else null
 * @param urlButton   the suffix of the template's URL button (a portal link), or null when the template has none
 */
public record Mapping(String file, String id, When when, String template, List<String> languages, String fallback,
        List<ParameterTemplate> parameters, List<String> buttons, List<Duration> beforeStart,
        List<CheckinDay> afterDischarge, ResultRules results, MedicationRules medications, UrlButton urlButton) {

    public Mapping {
        languages = List.copyOf(languages);
        parameters = List.copyOf(parameters);
        buttons = List.copyOf(buttons);
        beforeStart = List.copyOf(beforeStart);
        afterDischarge = List.copyOf(afterDischarge);
    }

    public boolean sendsImmediately() {
        return beforeStart.isEmpty() && afterDischarge.isEmpty();
    }

    /** The template's URL button: its index among the template's buttons, and what the mapping appends to its URL. */
    public record UrlButton(int index, ParameterTemplate suffix) {
    }

    /** A check-in of a post-discharge sequence: {@code days} after the day of discharge, at {@code at} local time. */
    public record CheckinDay(int days, LocalTime at) {

        /** How the slots of check-in messages, and only theirs, begin: "day-3". */
        public static final String SLOT_PREFIX = "day-";

        public String slot() {
            return SLOT_PREFIX + days;
        }
    }

    /** Whether one of the parameters shows one of these fields ("appointment.location"). */
    boolean shows(String... fields) {
        Set<String> wanted = Set.of(fields);
        return parameters.stream().flatMap(p -> p.parts().stream())
                .anyMatch(part -> part.field() != null && wanted.contains(part.field()));
    }

    /**
     * Which events a mapping answers. An empty filter set matches everything.
     *
     * @param sendingFacilities MSH-4
     * @param locations         the appointment's (or visit's) point of care
     * @param departments       the appointment's (or visit's) facility
     * @param services          the appointment's service code
     */
    public record When(Set<EventKind> events, Set<String> sendingFacilities, Set<String> locations,
            Set<String> departments, Set<String> services) {

        public When {
            events = Set.copyOf(events);
            sendingFacilities = Set.copyOf(sendingFacilities);
            locations = Set.copyOf(locations);
            departments = Set.copyOf(departments);
            services = Set.copyOf(services);
        }
    }
}
