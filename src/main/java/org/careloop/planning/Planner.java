package org.careloop.planning;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.careloop.consent.ConsentStatus;
import org.careloop.event.Appointment;
import org.careloop.event.CareEvent;
import org.careloop.event.Dosing;
import org.careloop.event.EventKind;
import org.careloop.event.Location;
import org.careloop.event.Order;
import org.careloop.event.PatientId;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.api.TemplateMessage;

/**
 * Decides, for one event and the current time, what the outbox should hold: the mappings the event matches, each
 * message's key, language, parameters and due time (quiet hours and notice respected), and what the event ends
 * (cancellations, retracted admissions and discharges, merged patients). Pure: the store is changed by
 * {@link PlanWriter}.
 *
 * <p>Keys are (mapping, subject, slot), so an event that comes again, or a reschedule, re-plans the same rows: an
 * S13 moves them, an S14 re-renders them; either also rewrites the booking's messages that have not gone out yet
 * (a confirmation held by quiet hours). A slot whose moment has already passed when it is planned is not planned
 * (the patient just got a confirmation); a planned row whose moment passes while the engine is down is sent late
 * only while the appointment is more than the late margin away ({@code expiresAt}).
 *
 * <p>A results report is judged by its mapping's {@link ResultRules} (final yet? sensitive? a minor?) into one
 * {@link PlanStep.AnnounceResult}, which {@link ResultReports} applies against what was announced before.
 */
public final class Planner {

    private static final Set<EventKind> ENDING_APPOINTMENTS = Set.of(EventKind.APPOINTMENT_CANCELLED,
            EventKind.APPOINTMENT_DELETED);
    /** Events after which messages about the booking that have not gone out yet are written again. */
    private static final Set<EventKind> CHANGING_APPOINTMENTS = Set.of(EventKind.APPOINTMENT_RESCHEDULED,
            EventKind.APPOINTMENT_MODIFIED);
    /** ORC-1 order controls that stop an order's reminders, and how the reason says it. */
    private static final Map<String, String> STOPPING_ORDERS = Map.of("DC", "discontinued", "CA", "cancelled",
            "OC", "cancelled", "HD", "put on hold");
    /** Events that end a post-discharge check-in sequence: the patient is back (A01, A04). */
    private static final Set<EventKind> READMISSIONS = Set.of(EventKind.PATIENT_ADMITTED,
            EventKind.PATIENT_REGISTERED);

    private final List<Mapping> mappings;
    private final MessageRenderer renderer;
    private final Optional<QuietHours> quietHours;
    private final Duration minNotice;
    private final Duration lateMargin;
    private final Duration immediateLifetime;
    private final Set<String> deathDispositions;
    private final ZoneId siteZone;
    /** The mappings of post-discharge check-in sequences. */
    private final Set<String> checkinMappings;

    /**
     * @param minNotice        a message shifted by quiet hours is skipped when less than this remains before the
     *                         appointment
     * @param lateMargin       a late message is still sent while the appointment is more than this away
     * @param immediateLifetime how long an immediate message stays worth sending
     * @param deathDispositions PV1-36 discharge dispositions that mean the patient died (HL7 table 0112: 20)
     * @param siteZone         where the day is counted (a patient's age)
     */
    public Planner(List<Mapping> mappings, MessageRenderer renderer, Optional<QuietHours> quietHours,
            Duration minNotice, Duration lateMargin, Duration immediateLifetime, Set<String> deathDispositions,
            ZoneId siteZone) {
        this.mappings = List.copyOf(mappings);
        this.renderer = renderer;
        this.quietHours = quietHours;
        this.minNotice = minNotice;
        this.lateMargin = lateMargin;
        this.immediateLifetime = immediateLifetime;
        this.deathDispositions = Set.copyOf(deathDispositions);
        this.siteZone = siteZone;
        this.checkinMappings = this.mappings.stream().filter(m -> !m.afterDischarge().isEmpty()).map(Mapping::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    public List<PlanStep> plan(CareEvent event, Instant now) {
        List<PlanStep> steps = new ArrayList<>();
        String patientKey = event.patient().key();
        String phone = event.patient().phone() == null ? null : event.patient().phone().e164();
        if (event.kind() == EventKind.PATIENTS_MERGED) {
            for (PatientId merged : event.patient().mergedIds()) {
                steps.add(new PlanStep.MergePatients(merged.key(), patientKey, now));
            }
        }
        consent(event).ifPresent(status -> {
            if (phone != null) {
                steps.add(new PlanStep.RecordConsent(patientKey, phone, status,
                        "hl7 " + event.source().messageType() + " from " + event.source().sendingApplication()));
            }
        });
        if (phone != null && event.kind() == EventKind.PATIENT_UPDATED) {
            steps.add(new PlanStep.RefreshRecipient(patientKey, phone));
        }
        if (died(event)) {
            steps.add(new PlanStep.RecordDeath(patientKey, "the record says the patient has died ("
                    + event.source().messageType() + " from " + event.source().sendingApplication() + ")", now));
            return steps;
        }
        if (Boolean.FALSE.equals(event.patient().deceased())) {
            steps.add(new PlanStep.ClearDeath(patientKey));
        }
        String subject = subjectOf(event);
        if (ENDING_APPOINTMENTS.contains(event.kind())) {
            steps.add(new PlanStep.CancelPending(subject, Set.of(), "the appointment was cancelled ("
                    + event.source().messageType() + ")"));
        } else if (event.kind() == EventKind.ADMISSION_CANCELLED) {
            // a visit that never was: what its admission and its discharge planned
            steps.add(new PlanStep.CancelPending(subject, mappingsAnswering(EventKind.PATIENT_ADMITTED,
                    EventKind.PATIENT_REGISTERED, EventKind.PATIENT_DISCHARGED), "the admission was cancelled ("
                    + event.source().messageType() + ")"));
        } else if (event.kind() == EventKind.DISCHARGE_CANCELLED) {
            steps.add(new PlanStep.CancelPending(subject, mappingsAnswering(EventKind.PATIENT_DISCHARGED),
                    "the discharge was cancelled (" + event.source().messageType() + ")"));
        }
        if (READMISSIONS.contains(event.kind()) && !checkinMappings.isEmpty()) {
            // back in hospital: the check-ins after an earlier discharge are no longer what the patient needs
            steps.add(new PlanStep.CancelForPatient(patientKey, checkinMappings, "the patient was admitted again ("
                    + event.source().messageType() + ")"));
        }
        for (Mapping mapping : mappings) {
            if (mapping.results() != null && matches(mapping, event, event.kind())) {
                steps.add(announce(mapping, event, now));
            } else if (mapping.medications() != null && matches(mapping, event, event.kind())) {
                remind(mapping, event, now).ifPresent(steps::add);
            } else if (matches(mapping, event, event.kind())) {
                plan(mapping, event, subject, now, false, true).forEach(m -> steps.add(new PlanStep.Upsert(m)));
            } else if (CHANGING_APPOINTMENTS.contains(event.kind())
                    && matches(mapping, event, EventKind.APPOINTMENT_BOOKED)) {
                plan(mapping, event, subject, now, true, false).forEach(m -> steps.add(new PlanStep.Upsert(m)));
            }
        }
        return steps;
    }

    /**
     * The messages an earlier event planned that have not gone out, written again as that event would plan them
     * now: after a patient update, in the patient's new language and with their new name. Creates nothing.
     */
    public List<PlanStep> refresh(CareEvent earlier, Instant now) {
        List<PlanStep> steps = new ArrayList<>();
        if (died(earlier)) {
            return steps;
        }
        String subject = subjectOf(earlier);
        for (Mapping mapping : mappings) {
            if (mapping.results() != null || mapping.medications() != null) {
                continue; // written once per report (ResultReports) or per order message (MedicationOrders)
            }
            boolean direct = matches(mapping, earlier, earlier.kind());
            if (direct || CHANGING_APPOINTMENTS.contains(earlier.kind())
                    && matches(mapping, earlier, EventKind.APPOINTMENT_BOOKED)) {
                plan(mapping, earlier, subject, now, true, direct).forEach(m -> steps.add(new PlanStep.Upsert(m)));
            }
        }
        return steps;
    }

    /**
     * @param refreshOnly rewrite what is pending, create nothing
     * @param direct      the mapping answers the event's own kind (not a booking's mapping a change rewrites)
     */
    private List<PlannedMessage> plan(Mapping mapping, CareEvent event, String subject, Instant now,
            boolean refreshOnly, boolean direct) {
        Appointment appointment = event.appointment();
        Instant start = appointment == null ? null : appointment.start();
        List<PlannedMessage> planned = new ArrayList<>();
        if (!mapping.afterDischarge().isEmpty()) {
            return checkins(mapping, event, subject, now, refreshOnly, direct);
        }
        if (mapping.sendsImmediately()) {
            Instant lifetimeEnd = now.plus(immediateLifetime);
            Instant expires = start != null && start.minus(lateMargin).isBefore(lifetimeEnd)
                    ? start.minus(lateMargin) : lifetimeEnd;
            // a notice of a move is one per new time: a second move is news again, a replay of the same one is not
            String slot = isMoveNotice(mapping, event, direct) ? "moved-" + start : "now";
            schedule(now, start).ifPresent(due -> planned.add(message(mapping, event, subject, slot, due, expires,
                    refreshOnly, direct)));
            return planned;
        }
        if (start == null) {
            return planned;
        }
        for (Duration offset : mapping.beforeStart()) {
            Instant moment = start.minus(offset);
            if (moment.isBefore(now)) {
                continue;
            }
            String slot = "start-" + Durations.label(offset);
            schedule(moment, start).ifPresent(due -> planned.add(message(mapping, event, subject, slot, due,
                    start.minus(lateMargin), refreshOnly, direct)));
        }
        return planned;
    }

    /**
     * A post-discharge sequence: one check-in per day after the day of discharge (PV1-45, else the message's time), at
     * its local time (outside quiet hours); a day already past is skipped, and each is worth sending for a day.
     */
    private List<PlannedMessage> checkins(Mapping mapping, CareEvent event, String subject, Instant now,
            boolean refreshOnly, boolean direct) {
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
            schedule(moment, null).ifPresent(due -> planned.add(message(mapping, event, subject, checkin.slot(), due,
                    due.plus(immediateLifetime), refreshOnly, direct)));
        }
        return planned;
    }

    /**
     * A medication order's reminders: one per dose from now to the end of its course, at the site's times for its
     * pattern (or its explicit times) in the site's zone; a dose inside quiet hours moved to their nearer edge or
     * skipped; each worth sending until {@code lateBy} after it. A discontinue, a cancel, a hold or a stop date
     * already past stops them.
     */
    private Optional<PlanStep> remind(Mapping mapping, CareEvent event, Instant now) {
        Dosing dosing = event.order().dosing();
        if (dosing == null) {
            return Optional.empty();
        }
        MedicationRules rules = mapping.medications();
        String subject = medicationSubject(event);
        String patientKey = event.patient().key();
        String control = dosing.orderControl();
        if (STOPPING_ORDERS.containsKey(control) || dosing.end() != null && dosing.end().isBefore(now)) {
            String how = STOPPING_ORDERS.getOrDefault(control, "past its stop date (TQ1-8)");
            return Optional.of(new PlanStep.StopMedication(mapping.id(), subject, patientKey,
                    "HD".equals(control) ? "HELD" : "DISCONTINUED", "the order was " + how + " ("
                            + event.source().messageType() + ")"));
        }
        List<PlanStep.PlanDoses.Dose> doses = new ArrayList<>();
        for (MedicationRules.Dose dose : rules.doses(dosing, now, siteZone)) {
            Instant due = dose.at();
            if (quietHours.isPresent() && quietHours.get().isQuiet(due)) {
                if (rules.quietDoses() == MedicationRules.QuietDoses.SKIP) {
                    continue;
                }
                due = quietHours.get().nearerEdgeOf(due);
                if (due.isBefore(now)) {
                    continue;
                }
            }
            LocalDate day = dose.local().toLocalDate();
            PlannedMessage reminder = message(mapping, event, subject, MedicationOrders.DOSE_SLOT_PREFIX
                    + dose.local(), due, due.plus(rules.lateBy()), false, true);
            doses.add(new PlanStep.PlanDoses.Dose(reminder, day.atStartOfDay(siteZone).toInstant(),
                    day.plusDays(1).atStartOfDay(siteZone).toInstant()));
        }
        return Optional.of(new PlanStep.PlanDoses(mapping.id(), subject, patientKey, control, event.order().code(),
                doses, rules.maxPerDay()));
    }

    /** A medication order's subject: its placer id (ORC-2), which a change keeps, else its filler id. */
    private static String medicationSubject(CareEvent event) {
        Order order = event.order();
        return MedicationOrders.SUBJECT_PREFIX + event.source().sendingApplication() + "|"
                + (order.placerId().isEmpty() ? order.fillerId() : order.placerId());
    }

    /**
     * A results report's notice as the mapping's rules decide it: due when the batch window (or a sensitive test's
     * delay) ends, outside quiet hours; never sent for a test the site does not announce or a patient too young.
     */
    private PlanStep announce(Mapping mapping, CareEvent event, Instant now) {
        ResultDecision decision = mapping.results().judge(event, now, siteZone);
        if (decision.outcome() == ResultDecision.Outcome.WAITING) {
            return new PlanStep.AnnounceResult(mapping.id(), event.patient().key(), decision, null, null, null);
        }
        Instant due = schedule(now.plus(decision.dueAfter()), null).orElseThrow();
        PlannedMessage notice = message(mapping, event, decision.subjectKey(), "report-" + decision.orderKey(), due,
                due.plus(immediateLifetime), false, true);
        notice = switch (decision.outcome()) {
            case NEVER, MINOR -> notice.suppressedFor(decision.reason());
            case HELD -> notice.noted(decision.reason());
            default -> notice;
        };
        PlannedMessage update = null;
        if (decision.correction() && mapping.results().notifyCorrections()) {
            Instant soon = schedule(now, null).orElseThrow();
            update = message(mapping, event, decision.subjectKey(), "corrected-" + decision.orderKey(), soon,
                    soon.plus(immediateLifetime), false, true);
        }
        String forSeveral = null;
        if (mapping.shows("result.name")) {
            // the notice this report joins names no test: it is about several reports
            MessageRenderer.Rendered unnamed = renderer.render(mapping, event, notice.language(), Optional.empty());
            forSeveral = request(mapping, notice.recipient(), decision.subjectKey(), notice.language(),
                    unnamed.values(), urlButton(mapping, event, notice.language()));
        }
        return new PlanStep.AnnounceResult(mapping.id(), event.patient().key(), decision, notice, update, forSeveral);
    }

    /**
     * The due time: as wanted, or moved to the end of the quiet hours it falls in, unless that leaves less than the
     * minimum notice before the appointment (then nothing is sent).
     */
    private Optional<Instant> schedule(Instant wanted, Instant start) {
        if (quietHours.isEmpty() || !quietHours.get().isQuiet(wanted)) {
            return Optional.of(wanted);
        }
        Instant shifted = quietHours.get().endOf(wanted);
        boolean tooLate = start != null && Duration.between(shifted, start).compareTo(minNotice) < 0;
        return tooLate ? Optional.empty() : Optional.of(shifted);
    }

    private PlannedMessage message(Mapping mapping, CareEvent event, String subject, String slot, Instant due,
            Instant expires, boolean refreshOnly, boolean direct) {
        String language = MessageRenderer.languageFor(mapping, event.patient().language());
        MessageRenderer.Rendered rendered = renderer.render(mapping, event, language);
        String recipient = event.patient().phone() == null ? "" : event.patient().phone().e164();
        TemplateMessage.UrlButton url = urlButton(mapping, event, language);
        String suppressed = recipient.isEmpty() ? "the patient has no WhatsApp number" : rendered.problem() != null
                ? rendered.problem() : url != null && url.suffix().isEmpty() ? "the URL button's parameter ("
                        + mapping.urlButton().suffix() + ") has no value in this event" : null;
        String request = request(mapping, recipient, subject, language, rendered.values(), url);
        return new PlannedMessage(mapping.id() + "|" + subject + "|" + slot, mapping.id(), subject, slot,
                event.patient().key(), recipient, mapping.template(), language, request, due, expires, suppressed,
                refreshOnly, Shown.by(mapping, event.appointment()),
                !refreshOnly && isMoveNotice(mapping, event, direct), direct ? event.kind() : null, null);
    }

    /** What the template's URL button appends to its URL, or null when it has none. */
    private TemplateMessage.UrlButton urlButton(Mapping mapping, CareEvent event, String language) {
        return mapping.urlButton() == null ? null : new TemplateMessage.UrlButton(mapping.urlButton().index(),
                renderer.fill(mapping.urlButton().suffix(), event, language).orElse(""));
    }

    private static String request(Mapping mapping, String recipient, String subject, String language,
            List<String> values, TemplateMessage.UrlButton url) {
        List<TemplateMessage.QuickReply> buttons = new ArrayList<>();
        for (int i = 0; i < mapping.buttons().size(); i++) {
            buttons.add(new TemplateMessage.QuickReply(i, mapping.buttons().get(i) + ":" + subject));
        }
        return CloudApiRequests.template(new TemplateMessage(recipient.isEmpty() ? "+0" : recipient,
                mapping.template(), language, List.of(), values.stream().map(TemplateMessage.Parameter::positional)
                        .toList(), buttons, url));
    }

    /** An immediate message a move to a named time triggers: a reschedule notice, one per new time. */
    private static boolean isMoveNotice(Mapping mapping, CareEvent event, boolean direct) {
        return mapping.sendsImmediately() && direct && event.kind() == EventKind.APPOINTMENT_RESCHEDULED
                && event.appointment() != null && event.appointment().start() != null;
    }

    private static boolean matches(Mapping mapping, CareEvent event, EventKind kind) {
        Mapping.When when = mapping.when();
        Location place = event.appointment() != null ? event.appointment().location()
                : event.visit() != null ? event.visit().location() : null;
        String service = event.appointment() != null && event.appointment().service() != null
                ? event.appointment().service().code() : null;
        return when.events().contains(kind)
                && (when.sendingFacilities().isEmpty() || when.sendingFacilities().contains(event.source().sendingFacility()))
                && (when.locations().isEmpty() || place != null && when.locations().contains(place.pointOfCare()))
                && (when.departments().isEmpty() || place != null && when.departments().contains(place.facility()))
                && (when.services().isEmpty() || service != null && when.services().contains(service));
    }

    /** What a message is about: the appointment; else the visit; else the patient. */
    static String subjectOf(CareEvent event) {
        if (event.appointment() != null) {
            return "appointment:" + event.appointment().key();
        }
        if (event.visit() != null && !event.visit().visitNumber().isEmpty()) {
            return "visit:" + event.source().sendingApplication() + "|" + event.visit().visitNumber();
        }
        return "patient:" + event.patient().key();
    }

    /** The patient's record says they died, or they were discharged with a disposition that means death. */
    private boolean died(CareEvent event) {
        return Boolean.TRUE.equals(event.patient().deceased()) || event.kind() == EventKind.PATIENT_DISCHARGED
                && event.visit() != null && deathDispositions.contains(event.visit().dischargeDisposition());
    }

    private Set<String> mappingsAnswering(EventKind... kinds) {
        return mappings.stream().filter(m -> List.of(kinds).stream().anyMatch(k -> m.when().events().contains(k)))
                .map(Mapping::id).collect(Collectors.toSet());
    }

    private static Optional<ConsentStatus> consent(CareEvent event) {
        return Optional.ofNullable(event.messagingConsent());
    }
}
