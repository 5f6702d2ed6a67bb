package org.careloop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.param.TokenParam;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * A FHIR server owned by a test rather than by the engine: it outlives engine restarts and can be stopped while the
 * engine runs. Started when the test instance is made, so that its URL is known to {@link EngineTest#properties()}.
 */
public final class TestFhirServers {

    private TestFhirServers() {
    }

    public static SandboxFhirServer start() {
        try {
            return new SandboxFhirServer("127.0.0.1", 0).start();
        } catch (Exception e) {
            throw new IllegalStateException("the test's FHIR server did not start", e);
        }
    }

    /**
     * From now on the server notifies the engine's {@code appointments} subscription (the tests' secret) of every
     * Appointment change, CareLoop's own included, as a hospital's server does.
     */
    public static void notifyEngine(SandboxFhirServer server, int httpPort) {
        server.subscribe(Appointment.class, "http://127.0.0.1:" + httpPort + "/fhir/subscriptions/appointments",
                Map.of("Authorization", "Bearer test-subscription-secret"));
    }

    /** What {@link #seedJanesAppointment} put on the server. */
    public record Seeded(String patientId, String appointmentId) {
    }

    /**
     * The hospital's record of Jane (EPI|E100) and her appointment A100 of the HL7 feed (linked by its identifier),
     * as the EHR holds them before any reply: booked, Jane's participation needs action, her clinician accepted.
     */
    public static Seeded seedJanesAppointment(SandboxFhirServer server) {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("urn:careloop:patient:EPI").setValue("E100"));
        patient.addName().setFamily("Doe").addGiven("Jane");
        String patientId = server.patients().create(patient, null).getId().getIdPart();
        Appointment appointment = new Appointment().setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.addIdentifier(new Identifier().setSystem("urn:careloop:appointment:EPIC").setValue("A100"));
        appointment.addParticipant().setActor(new Reference("Patient/" + patientId))
                .setStatus(Appointment.ParticipationStatus.NEEDSACTION);
        appointment.addParticipant().setActor(new Reference().setDisplay("Dr John Smith"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return new Seeded(patientId, server.appointments().create(appointment, null).getId().getIdPart());
    }

    /** The one Appointment the server holds for an appointment of the HL7 feed (EPIC's filler id), as it is now. */
    public static Appointment hl7Appointment(SandboxFhirServer server, String fillerId) {
        List<Appointment> found = server.appointments().search(new TokenParam("urn:careloop:appointment:EPIC",
                fillerId), null, null);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Settings pointing an engine at the server, with fast retries, plus the test's own. */
    public static Map<String, String> engineSettings(SandboxFhirServer server, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("careloop.fhir.mode", "external",
                "careloop.fhir.base-url", server.baseUrl(), "careloop.site.quiet-hours", "",
                "careloop.fhir.retry.first-seconds", "1", "careloop.fhir.retry.max-seconds", "2"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }
}
