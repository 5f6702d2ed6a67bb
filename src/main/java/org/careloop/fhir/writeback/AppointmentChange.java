package org.careloop.fhir.writeback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * What a patient's reply asks of one version of an Appointment (DOMAIN.md §3): CONFIRM sets the patient participant
 * {@code accepted} (the status stays); CANCEL sets {@code cancelled} with reason {@code pat-crs} and the participant
 * {@code declined}; RESCHEDULE sets the participant {@code needs-action}. Computed against the version read, so it
 * can be written as a whole resource (update) or as a JSON Patch; empty when the version already says it, which makes
 * a repeated write-back (after a crash or a conflict) a no-op instead of a second version.
 */
public final class AppointmentChange {

    static final String CANCELATION_REASON_SYSTEM =
            "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The visit happened, or never will: a reply can no longer change it. */
    private static final Set<AppointmentStatus> SETTLED = EnumSet.of(AppointmentStatus.ARRIVED,
            AppointmentStatus.FULFILLED, AppointmentStatus.CHECKEDIN, AppointmentStatus.NOSHOW,
            AppointmentStatus.ENTEREDINERROR);

    /** The reply cannot apply to this Appointment as it stands; staff must look (not retried). */
    public static final class NotApplicable extends Exception {
        NotApplicable(String reason) {
            super(reason);
        }
    }

    private final boolean cancel;
    private final int participant;
    private final ParticipationStatus participantStatus;

    private AppointmentChange(boolean cancel, int participant, ParticipationStatus participantStatus) {
        this.cancel = cancel;
        this.participant = participant;
        this.participantStatus = participantStatus;
    }

    /** The change {@code action} asks of {@code appointment}; empty when it already holds. */
    public static Optional<AppointmentChange> of(String action, Appointment appointment) throws NotApplicable {
        AppointmentStatus status = appointment.getStatus();
        if (SETTLED.contains(status)) {
            throw new NotApplicable("the Appointment is " + status.toCode() + "; a reply no longer changes it");
        }
        int patient = patientParticipant(appointment);
        ParticipationStatus current = appointment.getParticipant().get(patient).getStatus();
        boolean cancelled = status == AppointmentStatus.CANCELLED;
        switch (action) {
            case "CONFIRM", "RESCHEDULE" -> {
                if (cancelled) {
                    throw new NotApplicable("the Appointment is already cancelled");
                }
                ParticipationStatus wanted = "CONFIRM".equals(action) ? ParticipationStatus.ACCEPTED
                        : ParticipationStatus.NEEDSACTION;
                return current == wanted ? Optional.empty()
                        : Optional.of(new AppointmentChange(false, patient, wanted));
            }
            case "CANCEL" -> {
                boolean done = cancelled && current == ParticipationStatus.DECLINED;
                return done ? Optional.empty()
                        : Optional.of(new AppointmentChange(true, patient, ParticipationStatus.DECLINED));
            }
            default -> throw new IllegalArgumentException("not an Appointment action: " + action);
        }
    }

    /** The index of the participant whose actor is a Patient. */
    static int patientParticipant(Appointment appointment) throws NotApplicable {
        for (int i = 0; i < appointment.getParticipant().size(); i++) {
            var actor = appointment.getParticipant().get(i).getActor();
            String reference = actor.getReference();
            if (reference != null && (reference.startsWith("Patient/") || reference.contains("/Patient/"))
                    || "Patient".equals(actor.getType())) {
                return i;
            }
        }
        throw new NotApplicable("the Appointment has no Patient participant");
    }

    /** Applies the change to a copy read from the server, for a versioned PUT. */
    public void applyTo(Appointment appointment) {
        if (cancel) {
            appointment.setStatus(AppointmentStatus.CANCELLED);
            appointment.setCancelationReason(patientCancelled());
        }
        appointment.getParticipant().get(participant).setStatus(participantStatus);
    }

    /** The same change as a JSON Patch (RFC 6902) against the version it was computed from. */
    public String asJsonPatch() {
        ArrayNode operations = JSON.createArrayNode();
        if (cancel) {
            operations.addObject().put("op", "replace").put("path", "/status").put("value", "cancelled");
            ObjectNode coding = operations.addObject().put("op", "add").put("path", "/cancelationReason")
                    .putObject("value").putArray("coding").addObject();
            Coding reason = patientCancelled().getCodingFirstRep();
            coding.put("system", reason.getSystem()).put("code", reason.getCode()).put("display", reason.getDisplay());
        }
        operations.addObject().put("op", "replace").put("path", "/participant/" + participant + "/status")
                .put("value", participantStatus.toCode());
        return operations.toString();
    }

    private static CodeableConcept patientCancelled() {
        return new CodeableConcept(new Coding(CANCELATION_REASON_SYSTEM, "pat-crs",
                "Patient: Canceled via automated reminder system"));
    }

    @Override
    public String toString() {
        return (cancel ? "status cancelled, " : "") + "patient participant " + participantStatus.toCode();
    }
}
