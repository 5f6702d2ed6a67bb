package org.careloop.fhir.writeback;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Date;
import java.util.Optional;
import org.careloop.fhir.writeback.AppointmentChange.NotApplicable;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * Carries one reply's job to the FHIR server through the HAPI FHIR client (camel-fhir's, used directly because
 * camel-fhir 4.17 cannot send If-Match):
 *
 * <ul>
 *   <li>CONFIRM, CANCEL, RESCHEDULE: find the Appointment, read it, and write the {@link AppointmentChange} as a
 *       versioned PUT ({@code update}: HAPI sends If-Match with the version read) or a JSON Patch with If-Match
 *       ({@code patch}, Oracle Health style). A 409 or 412 means someone saved in between: read again and re-apply,
 *       up to a bound; the other edit survives because only our fields change. A RESCHEDULE also asks staff to call
 *       the patient, as a Task or a Communication;</li>
 *   <li>MESSAGE: the patient's own words to staff, as a Communication.</li>
 * </ul>
 *
 * Every resource CareLoop creates carries the reply's wamid as an identifier and is created with If-None-Exist, and
 * a change already in place is not written again: a job repeated after a crash writes nothing twice.
 */
public final class FhirWriteback {

    /** How a target server takes Appointment changes. */
    public enum Mode {
        /** Read, change, PUT with If-Match (HAPI FHIR, most servers). */
        UPDATE,
        /** JSON Patch with If-Match (Oracle Health). */
        PATCH,
        /** Nothing is written (Epic: Appointment is read-only); replies are recorded and go to staff. */
        NONE
    }

    /** What asks staff to call a patient who wants another time. */
    public enum StaffRequest {
        TASK, COMMUNICATION
    }

    /** Whether a patient's Taken and Skip are written to the record: not at all, or as a MedicationStatement. */
    public enum AdherenceWriteback {
        NONE, MEDICATION_STATEMENT
    }

    /** How a worrying answer reaches the care team: an urgent Task to act on, or a Flag on the patient's record. */
    public enum ReviewRequest {
        TASK, FLAG
    }

    /** Identifies what CareLoop created for a reply (If-None-Exist makes a repeat a no-op). */
    static final String REPLY_IDENTIFIER_SYSTEM = "urn:careloop:whatsapp-message";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IGenericClient client;
    private final Mode mode;
    private final AppointmentLocator locator;
    private final String patientIdentifierSystem;
    private final StaffRequest rescheduleRequest;
    private final ReviewRequest clinicalReview;
    private final int maxConflictAttempts;

    /**
     * @param patientIdentifierSystem the identifier system of patients, {authority} standing for PID-3.4
     */
    public FhirWriteback(IGenericClient client, Mode mode, AppointmentLocator locator, String patientIdentifierSystem,
            StaffRequest rescheduleRequest, ReviewRequest clinicalReview, int maxConflictAttempts) {
        this.client = client;
        this.mode = mode;
        this.locator = locator;
        this.patientIdentifierSystem = patientIdentifierSystem;
        this.rescheduleRequest = rescheduleRequest;
        this.clinicalReview = clinicalReview;
        this.maxConflictAttempts = maxConflictAttempts;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * What a job wrote: said for operators, and the Appointment version it created ({@code Appointment/1001/_history/3})
     * or null, so that the server's notification of that version is known as CareLoop's own.
     */
    public record Performed(String description, String appointmentVersion) {
    }

    /** Carries the job out; says what was written. FHIR client exceptions mean the server did not take it. */
    public Performed perform(WritebackJob job) throws NotApplicable {
        if ("MESSAGE".equals(job.action())) {
            return new Performed(forwardMessage(job), null);
        }
        if ("CLINICAL_REVIEW".equals(job.action())) {
            return new Performed(askForReview(job), null);
        }
        if ("TAKEN".equals(job.action()) || "SKIPPED".equals(job.action())) {
            return new Performed(recordAdherence(job), null);
        }
        IIdType appointment = locator.find(job.subjectKey());
        Changed changed = changeAppointment(job.action(), appointment);
        if ("RESCHEDULE".equals(job.action())) {
            return new Performed(changed.written() + ", " + askStaffToCall(job, appointment, changed.patient()),
                    changed.version());
        }
        return new Performed(changed.written(), changed.version());
    }

    /** What was written, the version written (null when nothing was), and the patient the Appointment names. */
    private record Changed(String written, String version, Reference patient) {
    }

    private Changed changeAppointment(String action, IIdType id) throws NotApplicable {
        for (int attempt = 1; ; attempt++) {
            Appointment current = read(id);
            Optional<AppointmentChange> change = AppointmentChange.of(action, current);
            Reference patient = patientOf(current);
            if (change.isEmpty()) {
                return new Changed(current.getIdElement().toUnqualified().getValue()
                        + " unchanged: it already says so", null, patient);
            }
            try {
                String version = write(current, change.get());
                return new Changed(version + " (" + change.get() + ")", version, patient);
            } catch (ResourceVersionConflictException | PreconditionFailedException conflict) {
                if (attempt >= maxConflictAttempts) {
                    throw conflict;
                }
            }
        }
    }

    private String write(Appointment current, AppointmentChange change) {
        MethodOutcome outcome;
        if (mode == Mode.PATCH) {
            outcome = client.patch().withBody(change.asJsonPatch())
                    .withId(current.getIdElement().toUnqualifiedVersionless())
                    .withAdditionalHeader("If-Match", "W/\"" + current.getIdElement().getVersionIdPart() + "\"")
                    .execute();
        } else {
            change.applyTo(current);
            outcome = client.update().resource(current).execute(); // the versioned id makes HAPI send If-Match
        }
        return outcome.getId() == null ? "Appointment/" + current.getIdElement().getIdPart()
                : outcome.getId().toUnqualified().getValue();
    }

    private String askStaffToCall(WritebackJob job, IIdType appointmentId, Reference patient) {
        Reference about = new Reference(appointmentId.toUnqualifiedVersionless().getValue());
        String text = "The patient asked by WhatsApp for another time for this appointment: please call them.";
        if (rescheduleRequest == StaffRequest.TASK) {
            Task task = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER)
                    .setPriority(Task.TaskPriority.ROUTINE).setDescription(text).setFocus(about).setFor(patient)
                    .setAuthoredOn(Date.from(job.createdAt()));
            task.getCode().setText("Reschedule appointment");
            return createOnce(task, job, Task.IDENTIFIER);
        }
        return createOnce(communication(job, patient, about, text), job, Communication.IDENTIFIER);
    }

    /** A worrying answer (a check-in answered "worse", red-flag words) for the care team, about the patient. */
    private String askForReview(WritebackJob job) throws NotApplicable {
        Reference patient = patientByIdentifier(job.patientKey());
        if (clinicalReview == ReviewRequest.FLAG) {
            Flag flag = new Flag().setStatus(Flag.FlagStatus.ACTIVE).setSubject(patient)
                    .setPeriod(new Period().setStart(Date.from(job.createdAt())));
            flag.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/flag-category")
                    .setCode("clinical");
            flag.getCode().setText(job.detail());
            return createOnce(flag, job, Flag.IDENTIFIER);
        }
        Task task = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER)
                .setPriority(Task.TaskPriority.URGENT).setDescription(job.detail()).setFor(patient)
                .setAuthoredOn(Date.from(job.createdAt()));
        task.getCode().setText("Clinical review of a patient's WhatsApp answer");
        return createOnce(task, job, Task.IDENTIFIER);
    }

    /** The patient's Taken (completed) or Skip (not-taken), as they said it, about the order's drug. */
    private String recordAdherence(WritebackJob job) throws NotApplicable {
        JsonNode detail;
        try {
            detail = JSON.readTree(job.detail());
        } catch (JsonProcessingException e) {
            throw new NotApplicable("the adherence job's detail is not JSON");
        }
        Reference patient = patientByIdentifier(job.patientKey());
        MedicationStatement statement = new MedicationStatement()
                .setStatus("TAKEN".equals(job.action()) ? MedicationStatement.MedicationStatementStatus.COMPLETED
                        : MedicationStatement.MedicationStatementStatus.NOTTAKEN)
                .setSubject(patient).setInformationSource(patient.copy()).setDateAsserted(Date.from(job.createdAt()));
        CodeableConcept drug = new CodeableConcept().setText(detail.path("display").asText(null));
        if (detail.hasNonNull("code")) {
            drug.addCoding().setSystem("RXNORM".equals(detail.path("system").asText())
                    ? "http://www.nlm.nih.gov/research/umls/rxnorm" : detail.path("system").asText(null))
                    .setCode(detail.path("code").asText()).setDisplay(detail.path("display").asText(null));
        }
        statement.setMedication(drug);
        statement.addNote().setText("Answered by WhatsApp to the reminder " + detail.path("dose").asText("")
                + " of " + job.subjectKey());
        return createOnce(statement, job, MedicationStatement.IDENTIFIER);
    }

    private String forwardMessage(WritebackJob job) throws NotApplicable {
        Reference patient = null;
        Reference about = null;
        if (job.subjectKey() != null && job.subjectKey().startsWith(AppointmentLocator.SUBJECT_PREFIX)) {
            try {
                IIdType id = locator.find(job.subjectKey());
                patient = patientOf(read(id));
                about = new Reference(id.toUnqualifiedVersionless().getValue());
            } catch (NotApplicable noAppointment) {
                if (job.patientKey() == null) {
                    throw noAppointment;
                }
            }
        }
        if (patient == null) {
            patient = patientByIdentifier(job.patientKey());
        }
        Communication message = communication(job, patient, about, job.detail()).setSender(patient.copy());
        message.getTopic().setText("WhatsApp message from the patient");
        return createOnce(message, job, Communication.IDENTIFIER);
    }

    private static Communication communication(WritebackJob job, Reference patient, Reference about, String text) {
        Communication communication = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSubject(patient).setSent(Date.from(job.createdAt()));
        if (about != null) {
            communication.addAbout(about);
        }
        communication.addPayload().setContent(new StringType(text));
        return communication;
    }

    private String createOnce(DomainResource resource, WritebackJob job, TokenClientParam identifierParam) {
        Identifier identifier = new Identifier().setSystem(REPLY_IDENTIFIER_SYSTEM).setValue(job.replyWamid());
        addIdentifier(resource, identifier);
        MethodOutcome outcome = client.create().resource(resource).conditional()
                .where(identifierParam.exactly().systemAndCode(identifier.getSystem(), identifier.getValue()))
                .execute();
        return outcome.getId().toUnqualifiedVersionless().getValue();
    }

    private static void addIdentifier(DomainResource resource, Identifier identifier) {
        if (resource instanceof Task task) {
            task.addIdentifier(identifier);
        } else if (resource instanceof Communication communication) {
            communication.addIdentifier(identifier);
        } else if (resource instanceof Flag flag) {
            flag.addIdentifier(identifier);
        } else if (resource instanceof MedicationStatement statement) {
            statement.addIdentifier(identifier);
        }
    }

    private Appointment read(IIdType id) {
        return client.read().resource(Appointment.class).withId(id.toUnqualifiedVersionless()).execute();
    }

    private static Reference patientOf(Appointment appointment) throws NotApplicable {
        return appointment.getParticipant().get(AppointmentChange.patientParticipant(appointment)).getActor().copy();
    }

    /** A logical reference to the patient by PID-3 ("MRN|12345" with authority MRN). */
    private Reference patientByIdentifier(String patientKey) throws NotApplicable {
        if (patientKey == null || !patientKey.contains("|")) {
            throw new NotApplicable("no patient is known for this reply; it is in the staff queue");
        }
        String authority = patientKey.substring(0, patientKey.indexOf('|'));
        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(patientIdentifierSystem.replace("{authority}",
                        authority), patientKey.substring(patientKey.indexOf('|') + 1)))
                .returnBundle(Bundle.class).execute();
        if (found.getEntry().size() != 1) {
            throw new NotApplicable(found.getEntry().isEmpty() ? "no Patient has the patient's identifier"
                    : "several Patients have the patient's identifier");
        }
        return new Reference(new IdType("Patient", found.getEntryFirstRep().getResource().getIdElement().getIdPart()));
    }
}
