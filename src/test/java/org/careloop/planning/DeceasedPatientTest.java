package org.careloop.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.careloop.testing.Adt;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.SendingEngineTest;
import org.careloop.testing.Siu;
import org.careloop.whatsapp.simulator.Received;
import org.junit.jupiter.api.Test;

/**
 * A patient the record says has died is sent nothing more; the other patients on the same number are not touched; a
 * death recorded in error, once cleared, lets planning go on for what is still to come. What the patients receive is
 * read at the WhatsApp simulator, message by message.
 */
class DeceasedPatientTest extends SendingEngineTest {

    private static final String PHONE = "+16175550123";
    private static final String JANE_SUBJECT = "appointment:EPIC|A100";
    private static final String TOM_SUBJECT = "appointment:EPIC|A200";

    private final Siu jane = new Siu("A100", "E100", PHONE, "ENG");
    private final Siu tom = new Siu("A200", "E200", PHONE, "ENG");
    private final Adt janeRecord = new Adt("E100", "JANE", PHONE, "ENG");

    @Test
    void aDeathOnRecordCancelsWhatIsPendingForThatPatientAloneAndNothingMoreIsPlanned() throws Exception {
        optIn("EPI|E100", PHONE);
        optIn("EPI|E200", PHONE);
        deliver(jane.booked("c1", "202612140930"));
        awaitReceived(1);
        clock.advance(PAIR_SPACING);
        deliver(tom.booked("c2", "202612150930"));
        awaitReceived(2);

        deliver(janeRecord.updated("c3", "Y"));
        deliver(jane.modified("c4", "202612141045"));

        String reason = "the record says the patient has died (ADT^A08 from EPIC)";
        assertThat(planned(JANE_SUBJECT)).filteredOn(r -> r.key().startsWith("appointment-reminder"))
                .hasSize(2).allSatisfy(r -> {
                    assertThat(r.state()).isEqualTo("CANCELLED");
                    assertThat(r.reason()).isEqualTo(reason);
                });
        assertThat(planned(TOM_SUBJECT)).filteredOn(r -> r.key().startsWith("appointment-reminder"))
                .extracting(PlannedRow::state).containsExactly("PLANNED", "PLANNED");
        assertConfirmations(List.of("Jane", "Mercy Cardiology Clinic", "Monday, December 14, 2026, 9:30 AM"),
                List.of("Jane", "Mercy Cardiology Clinic", "Tuesday, December 15, 2026, 9:30 AM"));
    }

    @Test
    void aDischargeWithADeathDispositionCancelsWhatIsPending() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202612140930"));
        awaitReceived(1);

        deliver(janeRecord.discharged("c2", "20"));

        assertThat(planned(JANE_SUBJECT)).filteredOn(r -> r.key().startsWith("appointment-reminder"))
                .extracting(PlannedRow::reason).containsOnly("the record says the patient has died (ADT^A03 from EPIC)");
        deliver(janeRecord.discharged("c3", "01")); // home: nothing changes back by itself
        assertThat(planned(JANE_SUBJECT)).filteredOn(r -> r.key().startsWith("appointment-reminder"))
                .extracting(PlannedRow::state).containsOnly("CANCELLED");
    }

    @Test
    void aDeathRecordedInErrorOnceClearedLetsPlanningGoOnForWhatIsStillToCome() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202612140930"));
        awaitReceived(1);
        deliver(janeRecord.updated("c2", "Y"));

        deliver(janeRecord.updated("c3", "N"));
        clock.advance(PAIR_SPACING);
        deliver(jane.rescheduled("c4", "202612171500"));

        assertThat(planned(JANE_SUBJECT)).filteredOn(r -> r.key().startsWith("appointment-reminder"))
                .extracting(PlannedRow::state).containsExactly("PLANNED", "PLANNED");
        awaitReceived(2);
        Received notice = inbox().accepted().get(1);
        assertThat(notice.template()).isEqualTo("appointment_rescheduled");
        assertThat(notice.language()).isEqualTo("en_US");
        assertThat(PatientInbox.parameters(notice)).containsExactly("Jane", "Thursday, December 17, 2026, 3:00 PM",
                "Mercy Cardiology Clinic");
    }

    private void assertConfirmations(List<String> first, List<String> second) {
        List<Received> received = inbox().accepted();
        assertThat(received).hasSize(2);
        assertThat(received).extracting(Received::template).containsOnly("appointment_confirmation");
        assertThat(received).extracting(Received::language).containsOnly("en_US");
        assertThat(PatientInbox.parameters(received.get(0))).isEqualTo(first);
        assertThat(PatientInbox.parameters(received.get(1))).isEqualTo(second);
    }

    private void awaitReceived(int count) {
        inbox().awaitAccepted(count);
    }

}
