package org.careloop.planning;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.careloop.consent.ConsentStatus;
import org.careloop.event.Appointment;
import org.careloop.event.CareEvent;
import org.careloop.event.EventKind;
import org.careloop.event.Location;
import org.careloop.event.PatientId;

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
 * <p>The other journeys plan through their own parts, with the same {@link MessageBuilder}: results reports
 * ({@link ResultNotices}), medication orders ({@link MedicationReminders}), discharges ({@link DischargeCheckins}).
 */
public final class Planner {

    private static final Set<EventKind> ENDING_APPOINTMENTS = Set.of(EventKind.APPOINTMENT_CANCELLED,
            EventKind.APPOINTMENT_DELETED);
    /** Events after which messages about the booking that have not gone out yet are written again. */
    private static final Set<EventKind> CHANGING_APPOINTMENTS = Set.of(EventKind.APPOINTMENT_RESCHEDULED,
            EventKind.APPOINTMENT_MODIFIED);
    /** Events that end a post-discharge check-in sequence: the patient is back (A01, A04). */
    private static final Set<EventKind> READMISSIONS = Set.of(EventKind.PATIENT_ADMITTED,
            EventKind.PATIENT_REGISTERED);

    private final List<Mapping> mappings;
    private final MessageBuilder messages;
    private final DischargeCheckins checkins;
    private final ResultNotices resultNotices;
    private final MedicationReminders medicationReminders;
    private final Duration lateMargin;
    private final Duration immediateLifetime;
    private final Set<String> deathDispositions;
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
        this.messages = new MessageBuilder(renderer, quietHours, minNotice);
        this.checkins = new DischargeCheckins(messages, immediateLifetime, siteZone);
        this.resultNotices = new ResultNotices(messages, immediateLifetime, siteZone);
        this.medicationReminders = new MedicationReminders(messages, siteZone);
        this.lateMargin = lateMargin;
        this.immediateLifetime = immediateLifetime;
        this.deathDispositions = Set.copyOf(deathDispositions);
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
                steps.add(resultNotices.announce(mapping, event, now));
            } else if (mapping.medications() != null && matches(mapping, event, event.kind())) {
                medicationReminders.remind(mapping, event, now).ifPresent(steps::add);
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
            return checkins.plan(mapping, event, subject, now, refreshOnly, direct);
        }
        if (mapping.sendsImmediately()) {
            Instant lifetimeEnd = now.plus(immediateLifetime);
            Instant expires = start != null && start.minus(lateMargin).isBefore(lifetimeEnd)
                    ? start.minus(lateMargin) : lifetimeEnd;
            // a notice of a move is one per new time: a second move is news again, a replay of the same one is not
            String slot = MessageBuilder.isMoveNotice(mapping, event, direct) ? "moved-" + start : "now";
            messages.schedule(now, start).ifPresent(due -> planned.add(messages.message(mapping, event, subject, slot,
                    due, expires, refreshOnly, direct)));
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
            messages.schedule(moment, start).ifPresent(due -> planned.add(messages.message(mapping, event, subject,
                    slot, due, start.minus(lateMargin), refreshOnly, direct)));
        }
        return planned;
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
