package org.careloop.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.SendingEngineTest;
import org.careloop.testing.Siu;
import org.careloop.whatsapp.simulator.Received;
import org.junit.jupiter.api.Test;

/**
 * Every move to a time the patient has not been told gets a notice naming the latest time, as the patient receives
 * it at the WhatsApp simulator: a second move too; two moves before the first notice went out give one notice; a move
 * back to the time the patient was last shown gives none; a replay of the same move, nothing more.
 */
class RescheduleNoticesTest extends SendingEngineTest {

    private static final Instant NIGHT = Instant.parse("2026-12-11T03:00:00Z");
    private static final Instant NEXT_MORNING = Instant.parse("2026-12-11T13:05:00Z");
    private static final String PHONE = "+16175550123";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Siu jane = new Siu("A100", "E100", PHONE, "ENG");

    @Test
    void eachMoveGetsItsNoticeWithTheNewTimeAndAReplayGetsNothing() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202612140930"));
        awaitReceived(1);

        clock.advance(PAIR_SPACING);
        deliver(jane.rescheduled("c2", "202612171500"));
        awaitReceived(2);
        clock.advance(PAIR_SPACING);
        deliver(jane.rescheduled("c3", "202612181100"));
        awaitReceived(3);
        clock.advance(PAIR_SPACING);
        deliver(jane.rescheduled("c3-replayed", "202612181100"));

        assertReceived(
                "appointment_confirmation Jane|Mercy Cardiology Clinic|Monday, December 14, 2026, 9:30 AM",
                "appointment_rescheduled Jane|Thursday, December 17, 2026, 3:00 PM|Mercy Cardiology Clinic",
                "appointment_rescheduled Jane|Friday, December 18, 2026, 11:00 AM|Mercy Cardiology Clinic");
    }

    @Test
    void twoMovesBeforeTheNoticeGoesOutGiveOneNoticeWithTheLatestTime() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202612140930"));
        awaitReceived(1);

        clock.set(NIGHT); // the notices wait for the morning
        deliver(jane.rescheduled("c2", "202612171500"));
        deliver(jane.rescheduled("c3", "202612181100"));
        clock.set(NEXT_MORNING);
        awaitReceived(2);

        assertReceived(
                "appointment_confirmation Jane|Mercy Cardiology Clinic|Monday, December 14, 2026, 9:30 AM",
                "appointment_rescheduled Jane|Friday, December 18, 2026, 11:00 AM|Mercy Cardiology Clinic");
        assertThat(planned("appointment:EPIC|A100")).filteredOn(r -> r.key().startsWith("reschedule-notice"))
                .extracting(r -> r.state() + ": " + r.reason())
                .containsExactlyInAnyOrder("CANCELLED: a later move replaced it", "SENT: null");
    }

    @Test
    void aMoveBackToTheTimeThePatientWasShownGivesNoNotice() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202612140930"));
        awaitReceived(1);

        clock.set(NIGHT);
        deliver(jane.rescheduled("c2", "202612171500"));
        deliver(jane.rescheduled("c3", "202612140930"));
        clock.set(NEXT_MORNING);

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM wa_outbound WHERE state = 'PLANNED' "
                + "AND next_attempt_at <= ?", Timestamp.from(NEXT_MORNING)) == 0);
        assertReceived("appointment_confirmation Jane|Mercy Cardiology Clinic|Monday, December 14, 2026, 9:30 AM");
        assertThat(planned("appointment:EPIC|A100")).filteredOn(r -> r.key().startsWith("reschedule-notice"))
                .extracting(r -> r.state() + ": " + r.reason())
                .containsExactly("CANCELLED: a later move replaced it");
    }

    private void assertReceived(String... expected) {
        assertThat(inbox().accepted()).extracting(Received::language).containsOnly("en_US");
        assertThat(inbox().described()).containsExactly(expected);
    }

    private void awaitReceived(int count) {
        inbox().awaitAccepted(count);
    }

}
