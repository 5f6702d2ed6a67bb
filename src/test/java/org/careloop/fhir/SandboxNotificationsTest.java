package org.careloop.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.store.Reads;
import org.careloop.testing.EngineTest;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.Siu;
import org.careloop.testing.TestFhirServers;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.Appointment;
import org.junit.jupiter.api.Test;

/**
 * On the run command's defaults the sandbox FHIR server plays the hospital's: it holds the appointments the HL7 feed
 * reports and notifies CareLoop's subscription of every change, CareLoop's own included, by rest-hook as HAPI FHIR
 * JPA does. A change staff make there reaches the patient; the echoes of the feed's own changes and of the patient's
 * write-back plan nothing. What the patient receives is read at the WhatsApp simulator.
 */
class SandboxNotificationsTest extends EngineTest {

    private static final String PHONE = "+16175550123";
    private static final String WA_ID = "16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.site.quiet-hours", "", "careloop.whatsapp.pair-interval-seconds", "0.5");
    }

    @Test
    void aMoveStaffMakeOnTheFhirServerReachesThePatientAndTheEchoesPlanNothing() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(new Siu("A100", "E100", PHONE, "ENG").booked("c1", "202712140930"));
        inbox().awaitAccepted(1);
        awaitDeliveriesProcessed(1); // the echo of the feed's booking

        Appointment booked = appointment();
        Instant later = Instant.parse("2027-12-16T19:00:00Z");
        booked.setStart(Date.from(later)).setEnd(Date.from(later.plus(Duration.ofMinutes(30))));
        sandbox().appointments().update(booked.getIdElement().toVersionless(), booked); // as staff would, in the EHR
        inbox().awaitAccepted(2);
        Received notice = inbox().accepted().get(1);
        simulator().reply(WA_ID, notice.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM fhir_writeback WHERE state = 'DONE'") == 1);
        awaitDeliveriesProcessed(3); // the staff move, then the echo of the patient's confirmation
        inbox().awaitAccepted(3);

        assertThat(inbox().described()).containsExactly(
                "appointment_confirmation Jane|Mercy Cardiology Clinic|Tuesday, December 14, 2027, 9:30 AM",
                "appointment_rescheduled Jane|Thursday, December 16, 2027, 2:00 PM|Mercy Cardiology Clinic",
                "text Thank you, your appointment is confirmed.");
        assertThat(Reads.list(store(), "SELECT kind FROM care_event ORDER BY id", row -> row.getString(1)))
                .containsExactly("APPOINTMENT_BOOKED", "APPOINTMENT_RESCHEDULED");
        assertThat(appointment().getMeta().getVersionId()).isEqualTo("3");
    }

    private void awaitDeliveriesProcessed(int count) {
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM fhir_delivery WHERE state = 'PROCESSED'")
                == count && count("SELECT COUNT(*) FROM care_event WHERE plan_state = 'NEW'") == 0);
    }

    private Appointment appointment() {
        return TestFhirServers.hl7Appointment(sandbox(), "A100");
    }

    private PatientInbox inbox() {
        return new PatientInbox(engine);
    }

    private SandboxFhirServer sandbox() {
        return engine.bean("sandboxFhirServer", SandboxFhirServer.class);
    }

    private CloudApiSimulator simulator() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }
}
