package org.careloop.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.store.Reads;
import org.careloop.testing.EngineTest;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.Siu;
import org.careloop.testing.TestFhirServers;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One visit reported by the HL7 feed and by the FHIR server (its Appointment carries the HL7 appointment's identifier)
 * is one subject: the patient gets one confirmation and one reminder per slot, and where the two disagree the newer
 * change wins. What the patient receives is read at the WhatsApp simulator.
 */
class OneVisitTwoFeedsTest extends EngineTest {

    private static final String PHONE = "+16175550123";
    private static final String SUBJECT = "appointment:EPIC|A300";

    private final SandboxFhirServer fhir = TestFhirServers.start();
    private final Siu feed = new Siu("A300", "E300", PHONE, "ENG");

    @Override
    protected Map<String, String> properties() {
        return TestFhirServers.engineSettings(fhir,
                "careloop.fhir.subscriptions-file", "src/test/resources/mappings/fhir-subscriptions.yaml",
                "careloop.whatsapp.pair-interval-seconds", "0.5");
    }

    /** The hospital's FHIR server notifies CareLoop of every Appointment change, by rest-hook as HAPI FHIR JPA does. */
    @BeforeEach
    void subscribe() {
        TestFhirServers.notifyEngine(fhir, httpPort);
    }

    @AfterEach
    void stopFhirServer() throws Exception {
        fhir.close();
    }

    @Test
    void aBookingFromBothFeedsGivesOneConfirmationAndOneReminderPerSlot() throws Exception {
        optIn("EPI|E300", PHONE);
        deliver(feed.booked("c1", "202712140930"));
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmations().size() == 1);

        onTheFhirServer(Instant.parse("2027-12-14T14:30:00Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM care_event WHERE plan_state "
                + "<> 'NEW' AND appointment_key = 'EPIC|A300'") == 2);

        assertThat(planned(SUBJECT)).extracting(PlannedRow::key).containsExactly(
                "appointment-reminder|" + SUBJECT + "|start-24h", "appointment-reminder|" + SUBJECT + "|start-48h",
                "booking-confirmation|" + SUBJECT + "|now");
        assertThat(confirmations()).hasSize(1);
        assertThat(confirmations().get(0).language()).isEqualTo("en_US");
        assertThat(PatientInbox.parameters(confirmations().get(0)))
                .containsExactly("Jane", "Mercy Cardiology Clinic", "Tuesday, December 14, 2027, 9:30 AM");
        assertThat(kinds()).containsExactly("APPOINTMENT_BOOKED", "APPOINTMENT_BOOKED");
    }

    @Test
    void whereTheFeedsDisagreeTheNewerChangeWinsAndTheDecisionIsOnTheEvent() throws Exception {
        optIn("EPI|E300", PHONE);
        // the FHIR server moved the visit just now; the HL7 feed's S13 to another time was sent this morning
        onTheFhirServer(Instant.parse("2027-12-15T14:30:00Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(SUBJECT).size() == 3);

        deliver(feed.rescheduled("c2", "202712171500"));

        assertThat(Reads.list(store(), "SELECT plan_state, plan_reason FROM care_event WHERE appointment_key = "
                + "'EPIC|A300' ORDER BY id", row -> row.getString(1) + " " + row.getString(2)))
                .hasSize(2).last().asString().startsWith("SUPERSEDED superseded: a newer change (")
                .endsWith(") came from fhir");
        assertThat(planned(SUBJECT)).filteredOn(r -> r.key().contains("|start-"))
                .extracting(PlannedRow::due).containsExactly(Instant.parse("2027-12-14T14:30:00Z"),
                        Instant.parse("2027-12-13T14:30:00Z"));
    }

    /** The hospital's FHIR Appointment for the HL7 feed's A300, with its patient (who reads Spanish). */
    private void onTheFhirServer(Instant start) {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("urn:careloop:patient:EPI").setValue("E300"));
        patient.addName().setFamily("Doe").addGiven("Jane");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(ContactPoint.ContactPointUse.MOBILE).setValue(PHONE);
        patient.addCommunication().setPreferred(true).getLanguage().addCoding().setCode("es");
        String patientId = fhir.patients().create(patient, null).getId().getIdPart();
        Appointment appointment = new Appointment().setStatus(AppointmentStatus.BOOKED).setStart(Date.from(start))
                .setEnd(Date.from(start.plus(30, ChronoUnit.MINUTES)));
        appointment.addIdentifier(new Identifier().setSystem("urn:careloop:appointment:EPIC").setValue("A300"));
        appointment.addParticipant().setActor(new Reference("Patient/" + patientId))
                .setStatus(ParticipationStatus.NEEDSACTION);
        fhir.appointments().create(appointment, null);
    }

    private List<String> kinds() throws Exception {
        return Reads.list(store(), "SELECT kind FROM care_event WHERE appointment_key = 'EPIC|A300' ORDER BY id",
                row -> row.getString(1));
    }

    private List<Received> confirmations() {
        return new PatientInbox(engine).accepted().stream()
                .filter(r -> "appointment_confirmation".equals(r.template())).toList();
    }
}
