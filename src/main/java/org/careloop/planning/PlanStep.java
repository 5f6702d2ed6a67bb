package org.careloop.planning;

import java.time.Instant;
import java.util.List;
import org.careloop.event.Coded;
import java.util.Set;
import org.careloop.consent.ConsentStatus;

/** One change the planner asks of the store, applied in order in one transaction ({@link PlanWriter}). */
public sealed interface PlanStep {

    /** Cancel what is still pending for a subject: from the given mappings, or from all when the set is empty. */
    record CancelPending(String subjectKey, Set<String> mappingIds, String reason) implements PlanStep {
    }

    /** Cancel what is still pending for a patient from these mappings, whatever it is about. */
    record CancelForPatient(String patientKey, Set<String> mappingIds, String reason) implements PlanStep {
    }

    /** Plan a message, or re-plan (move, re-render) the one already planned under its key. */
    record Upsert(PlannedMessage message) implements PlanStep {
    }

    /**
     * A results report: its notice planned, joined to the group's notice still to go, or held, as the decision and
     * what was announced before say ({@link ResultReports}).
     *
     * @param notice the notice this report would have on its own (null while it waits for a final result)
     * @param update the notice of a correction after the first went out, or null when the mapping wants none
     * @param requestForSeveral the notice's request naming no test, for the group's notice this report joins (null
     *                          when the mapping names no test)
     */
    record AnnounceResult(String mappingId, String patientKey, ResultDecision decision, PlannedMessage notice,
            PlannedMessage update, String requestForSeveral) implements PlanStep {
    }

    /**
     * A medication order's reminders, one per dose, each held when the patient's day already has its maximum
     * ({@link MedicationOrders}).
     *
     * @param control    ORC-1 of the message (NW, XO, RP, RL...): a change replaces the reminders still to go
     * @param medication RXE-2 (MedicationRequest.medication), kept for adherence write-backs, or null
     */
    record PlanDoses(String mappingId, String subjectKey, String patientKey, String control, Coded medication,
            List<Dose> doses, int maxPerDay) implements PlanStep {

        /** A reminder, and the local day it counts against ([dayStart, dayEnd)). */
        public record Dose(PlannedMessage message, Instant dayStart, Instant dayEnd) {
        }
    }

    /** A medication order that stopped (discontinued, cancelled, on hold, past its end): its reminders go too. */
    record StopMedication(String mappingId, String subjectKey, String patientKey, String state, String reason)
            implements PlanStep {
    }

    /** The source says the patient agrees (or not) to messages to this number. */
    record RecordConsent(String patientKey, String phone, ConsentStatus status, String source) implements PlanStep {
    }

    /** Two patient records became one: consent and pending messages move to the surviving id. */
    record MergePatients(String fromKey, String toKey, Instant at) implements PlanStep {
    }

    /**
     * The record says the patient has died: everything pending for them is cancelled, and nothing is planned for them
     * until a source says the death was recorded in error ({@link ClearDeath}).
     */
    record RecordDeath(String patientKey, String reason, Instant at) implements PlanStep {
    }

    /** A death recorded in error: planning resumes, for slots still to come. */
    record ClearDeath(String patientKey) implements PlanStep {
    }

    /** The patient's number changed: pending messages go to the new one (and need consent for it). */
    record RefreshRecipient(String patientKey, String phone) implements PlanStep {
    }
}
