package org.careloop.replies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.SendingEngineTest;
import org.careloop.testing.Siu;
import org.careloop.testing.TestFhirServers;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.junit.jupiter.api.Test;

/**
 * A reply is judged against what the message it answers showed, on the run command's defaults: the EHR's SIU feed
 * over MLLP, mirrored into the sandbox FHIR server (the record write-backs go to), the patient's taps at the WhatsApp
 * simulator. What the patient receives is read there message by message; what is written, in the sandbox's
 * Appointment. The booking confirmation says Monday, December 14, 2026, 9:30 AM.
 */
class OutOfDateRepliesTest extends SendingEngineTest {

    private static final String PHONE = "+16175550123";
    private static final String WA_ID = "16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";
    private static final String CONFIRMATION =
            "appointment_confirmation Jane|Mercy Cardiology Clinic|Monday, December 14, 2026, 9:30 AM";
    private static final String MOVED_NOTICE =
            "appointment_rescheduled Jane|Thursday, December 17, 2026, 3:00 PM|Mercy Cardiology Clinic";
    private static final String ASKED_AGAIN = "buttons Your appointment has changed. It is now on Thursday, December "
            + "17, 2026, 3:00 PM at Mercy Cardiology Clinic. Can you come at this time? [Yes, I can come|Cancel it|"
            + "Another time]";
    private static final String CONFIRMED = "text Thank you, your appointment is confirmed.";

    private final Siu jane = new Siu("A100", "E100", PHONE, "ENG");

    @Test
    void aConfirmOfTheMessageBeforeAMoveAsksAboutTheNewTimeAndThatConfirmConfirmsIt() throws Exception {
        Received confirmation = bookThenMove();

        String stale = tap(confirmation, "CONFIRM", "Confirm");

        inbox().awaitAccepted(3);
        assertThat(inbox().described()).containsExactly(CONFIRMATION, MOVED_NOTICE, ASKED_AGAIN);
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback WHERE reply_wamid = ?", stale)).isZero();
        assertThat(appointment().getParticipantFirstRep().getStatus()).isEqualTo(ParticipationStatus.NEEDSACTION);
        assertThat(staffQueue()).isZero();

        clock.advance(PAIR_SPACING);
        Received question = inbox().accepted().get(2);
        String confirm = simulator().reply(WA_ID, question.wamid(), "interactive", "CONFIRM:" + SUBJECT,
                "Yes, I can come");

        awaitWriteback(confirm, "CONFIRM");
        Appointment written = appointment();
        assertThat(written.getStart().toInstant()).isEqualTo(Instant.parse("2026-12-17T20:00:00Z"));
        assertThat(written.getParticipantFirstRep().getStatus()).isEqualTo(ParticipationStatus.ACCEPTED);
        inbox().awaitAccepted(4);
        assertThat(inbox().described()).containsExactly(CONFIRMATION, MOVED_NOTICE, ASKED_AGAIN, CONFIRMED);
    }

    @Test
    void aCancelOfTheMessageBeforeAMoveCancelsAndNamesTheTimeAsItNowIs() throws Exception {
        Received confirmation = bookThenMove();

        awaitWriteback(tap(confirmation, "CANCEL", "Cancel"), "CANCEL");

        assertThat(appointment().getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
        inbox().awaitAccepted(3);
        assertThat(inbox().described()).containsExactly(CONFIRMATION, MOVED_NOTICE, "text Your appointment on "
                + "Thursday, December 17, 2026, 3:00 PM has been cancelled. We hope to see you another time.");
        assertThat(reminders()).extracting(PlannedRow::reason).containsOnly("the patient cancelled by WhatsApp");
    }

    @Test
    void aConfirmAfterTheEhrCancelledWritesNothingAndSaysSo() throws Exception {
        Received confirmation = book();
        clock.advance(PAIR_SPACING);
        deliver(jane.cancelled("c2", "202612140930"));
        inbox().awaitAccepted(2);

        String reply = tap(confirmation, "CONFIRM", "Confirm");

        inbox().awaitAccepted(3);
        assertThat(inbox().described()).containsExactly(CONFIRMATION,
                "appointment_cancelled Jane|Monday, December 14, 2026, 9:30 AM",
                "text Your appointment on Monday, December 14, 2026, 9:30 AM was cancelled. To book a new one, "
                        + "please call us.");
        assertNothingWritten(reply);
        assertThat(appointment().getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
    }

    @Test
    void aConfirmAfterThePatientCancelledWritesNothingMore() throws Exception {
        Received confirmation = book();
        awaitWriteback(tap(confirmation, "CANCEL", "Cancel"), "CANCEL");
        inbox().awaitAccepted(2);

        String reply = tap(confirmation, "CONFIRM", "Confirm");

        inbox().awaitAccepted(3);
        assertThat(inbox().described().get(2)).isEqualTo("text Your appointment on Monday, December 14, 2026, "
                + "9:30 AM was cancelled. To book a new one, please call us.");
        assertNothingWritten(reply);
    }

    @Test
    void aConfirmAfterTheAppointmentTimeWritesNothingAndSaysItHasPassed() throws Exception {
        Received confirmation = book();
        clock.set(Instant.parse("2026-12-14T16:00:00Z")); // Monday 11:00 in New York: the visit was at 9:30

        String reply = tap(confirmation, "CONFIRM", "Confirm");

        inbox().awaitAccepted(2);
        assertThat(inbox().described()).containsExactly(CONFIRMATION, "text Your appointment on Monday, December "
                + "14, 2026, 9:30 AM has already taken place. To book a new one, please call us.");
        assertNothingWritten(reply);
        assertThat(reminders()).extracting(PlannedRow::state).containsOnly("EXPIRED");
    }

    @Test
    void aRescheduleTapAfterACancellationStillReachesStaffButWritesNothing() throws Exception {
        book();
        clock.advance(PAIR_SPACING);
        deliver(jane.cancelled("c2", "202612140930"));
        inbox().awaitAccepted(2);

        String reply = tap(inbox().accepted().get(1), "RESCHEDULE", "Reschedule");

        inbox().awaitAccepted(3);
        assertThat(inbox().described().get(2)).isEqualTo("text Thank you. Our team will call you to find a new time.");
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback WHERE reply_wamid = ?", reply)).isZero();
        assertThat(count("SELECT COUNT(*) FROM staff_queue WHERE kind = 'RESCHEDULE_REQUEST' AND subject_key = ?",
                SUBJECT)).isEqualTo(1);
    }

    @Test
    void aConfirmAfterOnlyTheClinicianNameChangedConfirms() throws Exception {
        Received confirmation = book();
        deliver(jane.withClinician("1234^SMITH^JOHNATHAN^A^^DR").modified("c2", "202612140930"));

        awaitWriteback(tap(confirmation, "CONFIRM", "Confirm"), "CONFIRM");

        assertThat(appointment().getParticipantFirstRep().getStatus()).isEqualTo(ParticipationStatus.ACCEPTED);
        inbox().awaitAccepted(2);
        assertThat(inbox().described()).containsExactly(CONFIRMATION, CONFIRMED);
    }

    @Test
    void aConfirmAfterTheVisitMovedToAnotherClinicAsksAgain() throws Exception {
        Received confirmation = book();
        deliver(jane.inClinic("DERM^^^MERCY^^^^^MERCY DERMATOLOGY CLINIC").modified("c2", "202612140930"));

        String reply = tap(confirmation, "CONFIRM", "Confirm");

        inbox().awaitAccepted(2);
        assertThat(inbox().described().get(1)).isEqualTo("buttons Your appointment has changed. It is now on "
                + "Monday, December 14, 2026, 9:30 AM at Mercy Dermatology Clinic. Can you come at this time? "
                + "[Yes, I can come|Cancel it|Another time]");
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback WHERE reply_wamid = ?", reply)).isZero();
    }

    /** Opts Jane in, books her visit, and returns the confirmation she received. */
    private Received book() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202612140930"));
        inbox().awaitAccepted(1);
        return inbox().accepted().get(0);
    }

    /** ... then the EHR moves it to Thursday, December 17, 3:00 PM and the notice goes out. */
    private Received bookThenMove() throws Exception {
        Received confirmation = book();
        clock.advance(PAIR_SPACING);
        deliver(jane.rescheduled("c2", "202612171500"));
        inbox().awaitAccepted(2);
        return confirmation;
    }

    /**
     * The patient taps a button of a message, late enough for an answer to go out after the last message; returns the
     * reply's wamid once it is handled.
     */
    private String tap(Received message, String action, String title) {
        clock.advance(PAIR_SPACING);
        String reply = simulator().reply(WA_ID, message.wamid(), "button", action + ":" + SUBJECT, title);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                count("SELECT COUNT(*) FROM wa_inbound_message WHERE wamid = ? AND state = 'HANDLED'", reply) == 1);
        return reply;
    }

    private void awaitWriteback(String reply, String action) {
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM fhir_writeback WHERE "
                + "reply_wamid = ? AND action = ? AND state = 'DONE'", reply, action) == 1);
    }

    private void assertNothingWritten(String reply) throws Exception {
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback WHERE reply_wamid = ?", reply)).isZero();
        assertThat(staffQueue()).isZero();
        assertThat(appointment().getParticipantFirstRep().getStatus()).isNotEqualTo(ParticipationStatus.ACCEPTED);
    }

    private long staffQueue() throws Exception {
        return new ObjectMapper().readTree(api("GET", "/api/replies/staff-queue").body()).size();
    }

    private List<PlannedRow> reminders() throws Exception {
        return planned(SUBJECT).stream().filter(r -> r.key().startsWith("appointment-reminder")).toList();
    }

    private Appointment appointment() {
        return TestFhirServers.hl7Appointment(sandbox(), "A100");
    }

    private SandboxFhirServer sandbox() {
        return engine.bean("sandboxFhirServer", SandboxFhirServer.class);
    }

    private CloudApiSimulator simulator() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }
}
