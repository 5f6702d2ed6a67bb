package org.careloop.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
 * A patient update that changes the language or the name reaches the messages that have not gone out: they are
 * written again, and the patient receives them (at the WhatsApp simulator) in the new language, with the new name.
 */
class PatientUpdatesTest extends SendingEngineTest {

    /** Saturday 12 December, 9:30 in New York: the 48 h reminder of a visit on Monday 14 at 9:30. */
    private static final Instant REMINDER_48H = Instant.parse("2026-12-12T14:30:00Z");
    private static final String PHONE = "+16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";

    @Test
    void aNewLanguageAndANewNameRewriteThePendingRemindersThatThePatientThenReceives() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(new Siu("A100", "E100", PHONE, "SPA").booked("c1", "202612140930"));
        inbox().awaitAccepted(1);

        deliver(new Adt("E100", "JOANNE", PHONE, "ENG").updated("c2", ""));

        assertThat(planned(SUBJECT)).filteredOn(r -> r.key().startsWith("appointment-reminder"))
                .extracting(PlannedRow::language, r -> r.parameters().get(0))
                .containsOnly(tuple("en_US", "Joanne"));
        clock.set(REMINDER_48H);
        inbox().awaitAccepted(2);
        List<Received> received = inbox().accepted();
        assertThat(received.get(0).template()).isEqualTo("appointment_confirmation");
        assertThat(received.get(0).language()).isEqualTo("es");
        assertThat(PatientInbox.parameters(received.get(0))).containsExactly("Jane", "Mercy Cardiology Clinic",
                "lunes, 14 de diciembre de 2026 9:30");
        assertThat(received.get(1).template()).isEqualTo("appointment_reminder");
        assertThat(received.get(1).language()).isEqualTo("en_US");
        assertThat(PatientInbox.parameters(received.get(1))).containsExactly("Joanne", "Mercy Cardiology Clinic",
                "Monday, December 14, 2026, 9:30 AM");
    }

}
