package org.careloop.fhir.sandbox;

import ca.uhn.fhir.rest.param.TokenParam;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.careloop.event.CareEvent;
import org.careloop.event.EventJson;
import org.careloop.event.PatientId;
import org.careloop.fhir.writeback.OwnVersions;
import org.careloop.queue.QueueTransaction;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In sandbox mode the sandbox FHIR server plays the hospital's EHR, which in a hospital already holds every
 * appointment its HL7 feed reports: each HL7 appointment event is recorded there (the Appointment by its identifier,
 * {@code careloop.fhir.appointment-identifier-system}, with its patient, time and status), so that a patient's
 * Confirm, Cancel or Reschedule has an Appointment to be written to. The journal's stage hands each such event on
 * through {@value #QUEUE} (routes/hl7-processing.yaml); the sandbox keeps nothing, so at start-up it is rebuilt from
 * the stored events. Never used against a hospital's server.
 *
 * <p>The sandbox notifies CareLoop's subscriptions of these versions as of any change; they are recorded as
 * CareLoop's own, so that the HL7 feed's change, already planned, is not planned a second time from its echo.
 */
public final class SandboxEhr {

    /** The queue of HL7 appointment events (CareEvent JSON) the sandbox records, an appointment's in order. */
    public static final String QUEUE = "sandbox-ehr";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxEhr.class);
    private static final ObjectMapper JSON = EventJson.mapper();

    private final SandboxFhirServer server;
    private final String appointmentSystem;
    private final String patientSystem;
    private final Clock clock;

    /**
     * @param appointmentSystem the Appointment.identifier system, {system} standing for the sending application
     * @param patientSystem     the Patient.identifier system, {authority} standing for PID-3's assigning authority
     */
    public SandboxEhr(SandboxFhirServer server, String appointmentSystem, String patientSystem, Clock clock) {
        this.server = server;
        this.appointmentSystem = appointmentSystem;
        this.patientSystem = patientSystem;
        this.clock = clock;
        LOG.info("Sandbox mode: appointments that arrive by HL7 are recorded in the sandbox FHIR server, as a "
                + "hospital's EHR holds them");
    }

    /**
     * Before the routes start: the empty sandbox is given every HL7 appointment event stored so far, oldest first,
     * and the entries left in line (already among them) are dropped.
     */
    public void rebuild(DataSource dataSource) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            Writes.update(connection, "DELETE FROM work_queue WHERE queue = ?", QUEUE);
            for (String payload : Reads.list(connection, "SELECT payload FROM care_event WHERE journal_id IS NOT NULL "
                    + "AND appointment_key IS NOT NULL ORDER BY id", row -> row.getString(1))) {
                recorded(connection, record(JSON.readValue(payload, CareEvent.class)));
            }
            connection.commit();
        }
    }

    /** The route's step: the event (CareEvent JSON) recorded, its version known as ours with the entry. */
    public void record(Exchange exchange) throws SQLException, IOException {
        IIdType written = record(JSON.readValue(exchange.getIn().getBody(String.class), CareEvent.class));
        QueueTransaction.write(exchange, connection -> recorded(connection, written));
    }

    private void recorded(Connection connection, IIdType written) throws SQLException {
        OwnVersions.record(connection, written.toUnqualified().getValue(), "SANDBOX_EHR", clock.instant());
    }

    /** Returns the version written. */
    private IIdType record(CareEvent event) {
        org.careloop.event.Appointment visit = event.appointment();
        Identifier identifier = new Identifier().setSystem(appointmentSystem.replace("{system}", visit.system()))
                .setValue(visit.id());
        List<Appointment> found = server.appointments().search(new TokenParam(identifier.getSystem(),
                identifier.getValue()), null, null);
        Appointment appointment = found.isEmpty() ? new Appointment().addIdentifier(identifier) : found.get(0);
        appointment.setStatus(status(event));
        if (visit.start() != null) {
            appointment.setStart(Date.from(visit.start()));
            appointment.setEnd(visit.duration() == null ? null : Date.from(visit.start().plus(visit.duration())));
        }
        if (found.isEmpty()) {
            patient(event).ifPresent(patient -> appointment.addParticipant().setActor(patient)
                    .setStatus(ParticipationStatus.NEEDSACTION));
            if (visit.location() != null && !visit.location().description().isEmpty()) {
                String location = server.locations().create(new Location().setName(visit.location().description()),
                        null).getId().getIdPart();
                appointment.addParticipant().setActor(new Reference("Location/" + location))
                        .setStatus(ParticipationStatus.ACCEPTED);
            }
            if (visit.provider() != null) {
                appointment.addParticipant().setActor(new Reference().setDisplay(String.join(" ",
                        visit.provider().prefix(), visit.provider().given(), visit.provider().family()).trim()))
                        .setStatus(ParticipationStatus.ACCEPTED);
            }
            return server.appointments().create(appointment, null).getId();
        }
        return server.appointments().update(new IdType("Appointment", appointment.getIdElement().getIdPart()),
                appointment).getId();
    }

    private static AppointmentStatus status(CareEvent event) {
        return switch (event.kind()) {
            case APPOINTMENT_CANCELLED, APPOINTMENT_DELETED -> AppointmentStatus.CANCELLED;
            case APPOINTMENT_NO_SHOW -> AppointmentStatus.NOSHOW;
            default -> AppointmentStatus.BOOKED;
        };
    }

    /** The patient's Patient, created from the event the first time. */
    private Optional<Reference> patient(CareEvent event) {
        if (event.patient().ids().isEmpty()) {
            return Optional.empty();
        }
        PatientId id = event.patient().ids().get(0);
        Identifier identifier = new Identifier().setSystem(patientSystem.replace("{authority}", id.authority()))
                .setValue(id.value());
        List<Patient> found = server.patients().search(new TokenParam(identifier.getSystem(), identifier.getValue()),
                null, null);
        if (!found.isEmpty()) {
            return Optional.of(new Reference("Patient/" + found.get(0).getIdElement().getIdPart()));
        }
        Patient patient = new Patient().addIdentifier(identifier);
        patient.addName().setFamily(event.patient().name().family()).addGiven(event.patient().name().given());
        if (event.patient().phone() != null) {
            patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
                    .setUse(ContactPoint.ContactPointUse.MOBILE).setValue(event.patient().phone().e164());
        }
        if (event.patient().language() != null) {
            patient.addCommunication().setPreferred(true).getLanguage().addCoding()
                    .setCode(event.patient().language().toLowerCase(Locale.ROOT));
        }
        return Optional.of(new Reference("Patient/" + server.patients().create(patient, null).getId()
                .getIdPart()));
    }
}
