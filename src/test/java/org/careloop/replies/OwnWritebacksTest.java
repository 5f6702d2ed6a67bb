package org.careloop.replies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.testing.EngineTest;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.Siu;
import org.careloop.testing.TestFhirServers;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change the patient made through CareLoop never earns them a notice about it, whichever channel brings it back:
 * the FHIR server's notification of the version CareLoop wrote (the server notifies every change by rest-hook, as
 * HAPI FHIR JPA does), or the EHR's HL7 feed reporting the same cancellation afterwards. What the patient receives is
 * read at the WhatsApp simulator, message by message.
 */
class OwnWritebacksTest extends EngineTest {

    private static final String PHONE = "+16175550123";
    private static final String WA_ID = "16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";

    private final SandboxFhirServer fhir = TestFhirServers.start();
    private final Siu jane = new Siu("A100", "E100", PHONE, "ENG");
    private String appointmentId;

    @Override
    protected Map<String, String> properties() {
        return TestFhirServers.engineSettings(fhir, "careloop.fhir.writeback.idle-poll-ms", "50",
                "careloop.fhir.subscriptions-file", "src/test/resources/mappings/fhir-subscriptions.yaml",
                "careloop.whatsapp.pair-interval-seconds", "0.5");
    }

    /** The hospital's record of Jane's appointment, linked to the HL7 feed's A100 by its identifier. */
    @BeforeEach
    void seedTheRecord() {
        TestFhirServers.Seeded seeded = TestFhirServers.seedJanesAppointment(fhir);
        appointmentId = seeded.appointmentId();
        // from now on it notifies CareLoop of every change, CareLoop's own included, as a hospital's server does
        TestFhirServers.notifyEngine(fhir, httpPort);
    }

    @AfterEach
    void stopFhirServer() throws Exception {
        fhir.close();
    }

    @Test
    void thePatientsCancelComingBackByFhirAndThenByHl7SendsNoCancellationNotice() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();

        simulator().reply(WA_ID, confirmation.wamid(), "button", "CANCEL:" + SUBJECT, "Cancel");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM fhir_writeback WHERE "
                + "state = 'DONE'") == 1);
        assertThat(fhir.appointments().current(appointmentId).getStatus()).isEqualTo(AppointmentStatus.CANCELLED);

        // the FHIR server notifies CareLoop of the version it wrote
        awaitDeliveries(1);
        // the EHR then reports the same cancellation on its HL7 feed
        deliver(jane.cancelled("c2", "202712140930"));
        awaitAllDone();

        assertThat(count("SELECT COUNT(*) FROM care_event WHERE fhir_delivery_id IS NOT NULL")).isZero();
        assertThat(received()).containsExactly(
                "appointment_confirmation Jane|Mercy Cardiology Clinic|Tuesday, December 14, 2027, 9:30 AM",
                "text Your appointment on Tuesday, December 14, 2027, 9:30 AM has been cancelled. We hope to see "
                        + "you another time.");

        // booked again later (its confirmation went out already, under the same key), then cancelled by staff:
        // that cancellation is news to the patient
        deliver(jane.booked("c3", "202712160930"));
        deliver(jane.cancelled("c4", "202712160930"));
        inbox().awaitAccepted(3);
        assertThat(received().get(2)).isEqualTo("appointment_cancelled Jane|Thursday, December 16, 2027, 9:30 AM");
    }

    @Test
    void thePatientsConfirmComingBackByFhirPlansNothing() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();

        simulator().reply(WA_ID, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM fhir_writeback WHERE "
                + "state = 'DONE'") == 1);
        awaitDeliveries(1);

        assertThat(count("SELECT COUNT(*) FROM care_event")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM fhir_delivery WHERE state = 'PROCESSED'")).isEqualTo(1);
        assertThat(received()).containsExactly(
                "appointment_confirmation Jane|Mercy Cardiology Clinic|Tuesday, December 14, 2027, 9:30 AM",
                "text Thank you, your appointment is confirmed.");
    }

    private Received bookAndAwaitConfirmation() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202712140930"));
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted().size() == 1);
        return accepted().get(0);
    }

    private void awaitDeliveries(int processed) {
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM fhir_delivery WHERE state = "
                + "'PROCESSED'") == processed);
        awaitAllDone();
    }

    private void awaitAllDone() {
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM fhir_delivery WHERE state = "
                + "'NEW'") == 0 && count("SELECT COUNT(*) FROM care_event WHERE plan_state = 'NEW'") == 0
                && count("SELECT COUNT(*) FROM wa_outbound WHERE state IN ('PLANNED', 'CLAIMED') AND due_at <= "
                + "CURRENT_TIMESTAMP") == 0);
    }

    private List<String> received() {
        return inbox().described();
    }

    private List<Received> accepted() {
        return inbox().accepted();
    }

    private PatientInbox inbox() {
        return new PatientInbox(engine);
    }

    private CloudApiSimulator simulator() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }
}
