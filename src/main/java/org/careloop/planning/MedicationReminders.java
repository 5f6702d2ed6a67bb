package org.careloop.planning;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.event.CareEvent;
import org.careloop.event.Dosing;
import org.careloop.event.Order;

/**
 * A medication order's reminders: one per dose from now to the end of its course, at the site's times for its
 * pattern (or its explicit times) in the site's zone; a dose inside quiet hours moved to their nearer edge or
 * skipped; each worth sending until {@code lateBy} after it. A discontinue, a cancel, a hold or a stop date already
 * past stops them. {@link MedicationOrders} applies them against the order as it was.
 */
final class MedicationReminders {

    /** ORC-1 order controls that stop an order's reminders, and how the reason says it. */
    private static final Map<String, String> STOPPING_ORDERS = Map.of("DC", "discontinued", "CA", "cancelled",
            "OC", "cancelled", "HD", "put on hold");

    private final MessageBuilder messages;
    private final ZoneId siteZone;

    MedicationReminders(MessageBuilder messages, ZoneId siteZone) {
        this.messages = messages;
        this.siteZone = siteZone;
    }

    Optional<PlanStep> remind(Mapping mapping, CareEvent event, Instant now) {
        Dosing dosing = event.order().dosing();
        if (dosing == null) {
            return Optional.empty();
        }
        MedicationRules rules = mapping.medications();
        String subject = subjectOf(event);
        String patientKey = event.patient().key();
        String control = dosing.orderControl();
        if (STOPPING_ORDERS.containsKey(control) || dosing.end() != null && dosing.end().isBefore(now)) {
            String how = STOPPING_ORDERS.getOrDefault(control, "past its stop date (TQ1-8)");
            return Optional.of(new PlanStep.StopMedication(mapping.id(), subject, patientKey,
                    "HD".equals(control) ? "HELD" : "DISCONTINUED", "the order was " + how + " ("
                            + event.source().messageType() + ")"));
        }
        Optional<QuietHours> quiet = messages.quietHours();
        List<PlanStep.PlanDoses.Dose> doses = new ArrayList<>();
        for (MedicationRules.Dose dose : rules.doses(dosing, now, siteZone)) {
            Instant due = dose.at();
            if (quiet.isPresent() && quiet.get().isQuiet(due)) {
                if (rules.quietDoses() == MedicationRules.QuietDoses.SKIP) {
                    continue;
                }
                due = quiet.get().nearerEdgeOf(due);
                if (due.isBefore(now)) {
                    continue;
                }
            }
            LocalDate day = dose.local().toLocalDate();
            PlannedMessage reminder = messages.message(mapping, event, subject, MedicationOrders.DOSE_SLOT_PREFIX
                    + dose.local(), due, due.plus(rules.lateBy()), false, true);
            doses.add(new PlanStep.PlanDoses.Dose(reminder, day.atStartOfDay(siteZone).toInstant(),
                    day.plusDays(1).atStartOfDay(siteZone).toInstant()));
        }
        return Optional.of(new PlanStep.PlanDoses(mapping.id(), subject, patientKey, control, event.order().code(),
                doses, rules.maxPerDay()));
    }

    /** A medication order's subject: its placer id (ORC-2), which a change keeps, else its filler id. */
    private static String subjectOf(CareEvent event) {
        Order order = event.order();
        return MedicationOrders.SUBJECT_PREFIX + event.source().sendingApplication() + "|"
                + (order.placerId().isEmpty() ? order.fillerId() : order.placerId());
    }
}
