package org.careloop.replies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.testing.EngineTest;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.Siu;
import org.careloop.testing.TestFhirServers;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The README's tour on the run command's defaults (sandbox mode): the sandbox FHIR server plays the EHR, so the
 * appointment that arrived by HL7 is there, and the patient's Confirm tap ends with it updated.
 */
class SandboxTourTest extends EngineTest {

    private static final String PHONE = "+16175550123";
    private static final String WA_ID = "16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.site.quiet-hours", "", "careloop.whatsapp.pair-interval-seconds", "0.5");
    }

    @Test
    void anHl7BookingIsInTheSandboxEhrAndTheConfirmTapUpdatesIt() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(new Siu("A100", "E100", PHONE, "ENG").booked("c1", "202712140930"));
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmation() != null);

        Appointment booked = appointment();
        assertThat(booked.getStatus()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(booked.getStart().toInstant()).isEqualTo(Instant.parse("2027-12-14T14:30:00Z"));
        assertThat(booked.getEnd().toInstant()).isEqualTo(Instant.parse("2027-12-14T15:00:00Z"));
        assertThat(booked.getParticipantFirstRep().getStatus()).isEqualTo(ParticipationStatus.NEEDSACTION);
        Patient patient = sandbox().patients().current(booked.getParticipantFirstRep().getActor().getReferenceElement()
                .getIdPart());
        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo("urn:careloop:patient:EPI");
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("E100");

        simulator().reply(WA_ID, confirmation().wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");

        await().atMost(Duration.ofSeconds(20)).until(() ->
                count("SELECT COUNT(*) FROM fhir_writeback WHERE state = 'DONE'") == 1);
        Appointment confirmed = appointment();
        assertThat(confirmed.getMeta().getVersionId()).isEqualTo("2");
        assertThat(confirmed.getParticipantFirstRep().getStatus()).isEqualTo(ParticipationStatus.ACCEPTED);
        await().atMost(Duration.ofSeconds(10)).until(() -> texts().size() == 1);
        assertThat(texts()).containsExactly("Thank you, your appointment is confirmed.");
    }

    @Test
    void afterARestartTheSandboxEhrHoldsTheAppointmentsAgainAndATapIsWrittenBack() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(new Siu("A100", "E100", PHONE, "ENG").booked("c1", "202712140930"));
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmation() != null);
        String wamid = confirmation().wamid();
        engine.close();

        engine = startEngine(Map.of()); // a new, empty sandbox FHIR server, and the same store
        Appointment rebuilt = appointment();
        assertThat(rebuilt.getStatus()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(rebuilt.getStart().toInstant()).isEqualTo(Instant.parse("2027-12-14T14:30:00Z"));
        assertThat(count("SELECT COUNT(*) FROM work_queue WHERE queue = 'sandbox-ehr'")).isZero();

        simulator().reply(WA_ID, wamid, "button", "CONFIRM:" + SUBJECT, "Confirm");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                count("SELECT COUNT(*) FROM fhir_writeback WHERE state = 'DONE'") == 1);
        assertThat(appointment().getParticipantFirstRep().getStatus()).isEqualTo(ParticipationStatus.ACCEPTED);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM fhir_resource_seen WHERE "
                + "resource_type = 'Appointment' AND version_id = '2'") == 1); // the write-back's echo, the last
        assertThat(count("SELECT COUNT(*) FROM care_event")).as("the echoes of the rebuilt version and of the "
                + "write-back plan nothing").isEqualTo(1);
    }

    private Appointment appointment() {
        return TestFhirServers.hl7Appointment(sandbox(), "A100");
    }

    private Received confirmation() {
        return new PatientInbox(engine).accepted().stream().filter(r -> "appointment_confirmation"
                .equals(r.template())).findFirst().orElse(null);
    }

    private List<String> texts() {
        return new PatientInbox(engine).described().stream().filter(m -> m.startsWith("text "))
                .map(m -> m.substring(5)).toList();
    }

    private SandboxFhirServer sandbox() {
        return engine.bean("sandboxFhirServer", SandboxFhirServer.class);
    }

    private CloudApiSimulator simulator() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }
}
