package org.careloop.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.store.Reads;
import org.careloop.testing.EngineTest;
import org.careloop.testing.MutableClock;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.Siu;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.junit.jupiter.api.Test;

/**
 * From HL7 to planned WhatsApp messages, through the running engine with the shipped mappings and catalog, on a
 * controlled clock (site zone America/New_York, quiet hours 21:00-08:00). Sending is off, so each planned row can be
 * read as it stands.
 */
class PlanningTest extends EngineTest {

    /** Thursday 10 December 2026, 10:00 in New York. */
    private static final Instant NOW = Instant.parse("2026-12-10T15:00:00Z");
    private static final String JANE = "EPI|E100";
    private static final String PHONE = "+16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";

    private final MutableClock clock = new MutableClock(NOW);
    private final ObjectMapper json = new ObjectMapper();
    private final Siu jane = new Siu("A100", "E100", PHONE, "ENG");

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.whatsapp.dispatch.enabled", "false",
                "careloop.planning.mapping-files", "mappings/appointments.yaml,src/test/resources/mappings/visits.yaml");
    }

    @Test
    void aBookingPlansAConfirmationNowAndRemindersAt48And24HoursWithTheirParameters() throws Exception {
        optIn(JANE, PHONE);

        deliver(jane.booked("c1", "202612140930"));

        List<String> parameters = List.of("Jane", "Mercy Cardiology Clinic", "Monday, December 14, 2026, 9:30 AM");
        List<String> buttons = List.of("CONFIRM:" + SUBJECT, "CANCEL:" + SUBJECT, "RESCHEDULE:" + SUBJECT);
        assertThat(planned(SUBJECT)).containsExactly(
                new PlannedRow("appointment-reminder|" + SUBJECT + "|start-24h", "PLANNED",
                        Instant.parse("2026-12-13T14:30:00Z"), PHONE, "en_US", parameters, buttons, null, JANE),
                new PlannedRow("appointment-reminder|" + SUBJECT + "|start-48h", "PLANNED",
                        Instant.parse("2026-12-12T14:30:00Z"), PHONE, "en_US", parameters, buttons, null, JANE),
                new PlannedRow("booking-confirmation|" + SUBJECT + "|now", "PLANNED", NOW, PHONE, "en_US",
                        parameters, buttons, null, JANE));

        JsonNode listed = json.readTree(api("GET", "/api/whatsapp/outbound?state=PLANNED").body());
        assertThat(listed).hasSize(3);
        assertThat(listed.findValuesAsText("idempotencyKey")).contains("booking-confirmation|" + SUBJECT + "|now");
    }

    @Test
    void aRescheduleMovesTheRemindersRewritesThemAndPlansTheNotice() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));

        deliver(jane.rescheduled("c2", "202612171500"));

        List<String> moved = List.of("Jane", "Mercy Cardiology Clinic", "Thursday, December 17, 2026, 3:00 PM");
        assertThat(row("appointment-reminder|" + SUBJECT + "|start-48h").due())
                .isEqualTo(Instant.parse("2026-12-15T20:00:00Z"));
        assertThat(row("appointment-reminder|" + SUBJECT + "|start-24h").due())
                .isEqualTo(Instant.parse("2026-12-16T20:00:00Z"));
        assertThat(row("appointment-reminder|" + SUBJECT + "|start-24h").parameters()).isEqualTo(moved);
        assertThat(row("booking-confirmation|" + SUBJECT + "|now").parameters())
                .as("a confirmation not yet sent is rewritten too").isEqualTo(moved);
        PlannedRow notice = row("reschedule-notice|" + SUBJECT + "|moved-2026-12-17T20:00:00Z");
        assertThat(notice.state()).isEqualTo("PLANNED");
        assertThat(notice.parameters()).containsExactly("Jane", "Thursday, December 17, 2026, 3:00 PM",
                "Mercy Cardiology Clinic");
    }

    @Test
    void aChangeRewritesWhatIsPendingWithoutANotice() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));

        deliver(jane.modified("c2", "202612141045"));

        assertThat(row("appointment-reminder|" + SUBJECT + "|start-24h").parameters()).containsExactly("Jane",
                "Mercy Cardiology Clinic", "Monday, December 14, 2026, 10:45 AM");
        assertThat(row("appointment-reminder|" + SUBJECT + "|start-24h").due())
                .isEqualTo(Instant.parse("2026-12-13T15:45:00Z"));
        assertThat(planned(SUBJECT)).extracting(PlannedRow::key).noneMatch(k -> k.startsWith("reschedule-notice"));
    }

    @Test
    void aCancellationCancelsWhatIsPendingAndPlansTheNotice() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));

        deliver(jane.cancelled("c2", "202612140930"));

        assertThat(planned(SUBJECT)).filteredOn(r -> !r.key().startsWith("cancellation-notice"))
                .hasSize(3).allSatisfy(r -> {
                    assertThat(r.state()).isEqualTo("CANCELLED");
                    assertThat(r.reason()).isEqualTo("the appointment was cancelled (SIU^S15)");
                });
        PlannedRow notice = row("cancellation-notice|" + SUBJECT + "|now");
        assertThat(notice.state()).isEqualTo("PLANNED");
        assertThat(notice.parameters()).containsExactly("Jane", "Monday, December 14, 2026, 9:30 AM");
        assertThat(notice.buttonPayloads()).containsExactly("RESCHEDULE:" + SUBJECT);
    }

    @Test
    void aDeletionCancelsSilently() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));

        deliver(jane.deleted("c2", "202612140930"));

        assertThat(planned(SUBJECT)).hasSize(3).extracting(PlannedRow::state).containsOnly("CANCELLED");
    }

    @Test
    void theSameBookingAgainAddsNothing() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));
        List<PlannedRow> first = planned(SUBJECT);

        deliver(jane.booked("c1-replayed", "202612140930"));

        assertThat(count("SELECT COUNT(*) FROM care_event")).isEqualTo(2);
        assertThat(planned(SUBJECT)).isEqualTo(first);
    }

    @Test
    void withoutAnOptInNothingIsPlannedToBeSentUntilOneIsRecorded() throws Exception {
        deliver(jane.booked("c1", "202612140930"));

        assertThat(planned(SUBJECT)).hasSize(3).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("SUPPRESSED");
            assertThat(r.reason()).isEqualTo("no opt-in on record for this number");
        });

        optIn(JANE, PHONE);
        assertThat(planned(SUBJECT)).extracting(PlannedRow::state).containsOnly("PLANNED");
    }

    @Test
    void stopFromThePatientSuppressesEveryPendingMessageAtOnceAndLaterPlans() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));

        engine.bean("cloudApiSimulator", CloudApiSimulator.class).reply("16175550123", null, "text", null, "Stop!");

        await().atMost(Duration.ofSeconds(10)).until(() -> planned(SUBJECT).stream()
                .allMatch(r -> r.state().equals("SUPPRESSED")));
        assertThat(planned(SUBJECT)).extracting(PlannedRow::reason).containsOnly("the patient opted out (reply)");
        JsonNode consent = json.readTree(api("GET", "/api/consent?phone=%2B16175550123").body());
        assertThat(consent.path("consent").path(0).path("status").asText()).isEqualTo("OPT_OUT");
        assertThat(consent.path("history").findValuesAsText("status")).containsExactly("OPT_IN", "OPT_OUT");
        assertThat(consent.path("history").findValuesAsText("source")).containsExactly("api: front desk", "reply");

        deliver(jane.modified("c2", "202612141045"));
        assertThat(planned(SUBJECT)).extracting(PlannedRow::state).containsOnly("SUPPRESSED");
    }

    @Test
    void aStopButtonOptsTheNumberOut() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));

        engine.bean("cloudApiSimulator", CloudApiSimulator.class).reply("16175550123", "wamid.any", "button",
                "STOP:" + SUBJECT, "Stop messages");

        await().atMost(Duration.ofSeconds(10)).until(() -> planned(SUBJECT).stream()
                .allMatch(r -> r.state().equals("SUPPRESSED")));
        assertThat(count("SELECT COUNT(*) FROM consent_audit WHERE detail = 'STOP button'")).isEqualTo(1);
    }

    @Test
    void aMappingsFiltersChooseTheEventsItAnswers() throws Exception {
        optIn(JANE, PHONE);
        deliver(jane.booked("c1", "202612140930"));
        byte[] dermatology = new String(new Siu("A600", "E100", PHONE, "ENG").booked("c2", "202612150930"),
                StandardCharsets.UTF_8).replace("CARD^^^MERCY^^^^^MERCY CARDIOLOGY CLINIC", "DERM^^^MERCY^^^^^Dermatology")
                .getBytes(StandardCharsets.UTF_8);

        deliver(dermatology);

        assertThat(planned(SUBJECT)).extracting(PlannedRow::key).noneMatch(k -> k.startsWith("dermatology-prep"));
        assertThat(row("dermatology-prep|appointment:EPIC|A600|now").parameters())
                .containsExactly("Jane", "Dermatology");
    }

    @Test
    void quietHoursMoveAMessageToTheirEnd() throws Exception {
        clock.set(Instant.parse("2026-12-10T03:30:00Z")); // 22:30 on the 9th in New York
        optIn(JANE, PHONE);

        deliver(jane.booked("c1", "202612140730"));

        assertThat(row("booking-confirmation|" + SUBJECT + "|now").due())
                .isEqualTo(Instant.parse("2026-12-10T13:00:00Z"));
        assertThat(row("appointment-reminder|" + SUBJECT + "|start-24h").due())
                .as("07:30 the day before is quiet: 08:00").isEqualTo(Instant.parse("2026-12-13T13:00:00Z"));
    }

    @Test
    void aMessageThatQuietHoursWouldPushTooCloseToTheAppointmentIsNotPlanned() throws Exception {
        clock.set(Instant.parse("2026-12-11T04:00:00Z")); // 23:00 on the 10th
        optIn(JANE, PHONE);

        deliver(jane.booked("c1", "202612110830"));

        assertThat(planned(SUBJECT)).as("08:00 leaves 30 minutes, under the 2 h minimum; the reminders' moments passed")
                .isEmpty();
        assertThat(count("SELECT COUNT(*) FROM care_event WHERE plan_state = 'PLANNED'")).isEqualTo(1);
    }

    @Test
    void anAppointmentJustAfterTheClockChangeIsWrittenInLocalTime() throws Exception {
        clock.set(Instant.parse("2026-10-28T14:00:00Z"));
        optIn(JANE, PHONE);

        deliver(jane.booked("c1", "202611020900")); // the day after clocks go back (EDT to EST)

        PlannedRow reminder = row("appointment-reminder|" + SUBJECT + "|start-48h");
        assertThat(reminder.parameters().get(2)).isEqualTo("Monday, November 2, 2026, 9:00 AM");
        assertThat(reminder.due()).as("48 hours before 14:00Z, which is 10:00 EDT")
                .isEqualTo(Instant.parse("2026-10-31T14:00:00Z"));
    }

    @Test
    void theTemplateLanguageFollowsThePatientWithTheMappingsFallback() throws Exception {
        Siu ana = new Siu("A200", "E200", "+16175550124", "SPA");
        Siu piotr = new Siu("A300", "E300", "+16175550125", "POL");
        optIn("EPI|E200", "+16175550124");
        optIn("EPI|E300", "+16175550125");

        deliver(ana.booked("c1", "202612140930"));
        deliver(piotr.booked("c2", "202612140930"));

        PlannedRow spanish = row("booking-confirmation|appointment:EPIC|A200|now");
        assertThat(spanish.language()).isEqualTo("es");
        assertThat(spanish.parameters()).containsExactly("Jane", "Mercy Cardiology Clinic",
                "lunes, 14 de diciembre de 2026 9:30");
        assertThat(row("booking-confirmation|appointment:EPIC|A300|now").language()).isEqualTo("en_US");
    }

    @Test
    void cancellingAnAdmissionOrADischargeRetractsWhatItPlanned() throws Exception {
        optIn(JANE, PHONE);
        String visit = "visit:EPIC|V77";

        deliver(adt("A01", "v1"));
        assertThat(row("admission-welcome|" + visit + "|now").state()).isEqualTo("PLANNED");
        deliver(adt("A03", "v2"));
        deliver(adt("A13", "v3"));

        assertThat(row("discharge-checkin|" + visit + "|now").state()).isEqualTo("CANCELLED");
        assertThat(row("discharge-checkin|" + visit + "|now").reason()).isEqualTo(
                "the discharge was cancelled (ADT^A13)");
        assertThat(row("admission-welcome|" + visit + "|now").state()).isEqualTo("PLANNED");

        deliver(adt("A11", "v4"));
        assertThat(row("admission-welcome|" + visit + "|now").state()).isEqualTo("CANCELLED");
    }

    @Test
    void aMergeMovesConsentAndPendingMessagesToTheSurvivingRecord() throws Exception {
        Siu duplicate = new Siu("A400", "E900", PHONE, "ENG");
        optIn("EPI|E900", PHONE);
        deliver(duplicate.booked("c1", "202612140930"));

        deliver(("MSH|^~\\&|EPIC|EPICADT|CARELOOP|MERCY|20261210100000||ADT^A40^ADT_A39|m1|P|2.5\r"
                + "EVN|A40|20261210100000\rPID|1||E100^^^EPI^MR||DOE^JANE||||||||" + PHONE + "\r"
                + "MRG|E900^^^EPI^MR\r").getBytes(StandardCharsets.US_ASCII));

        assertThat(planned("appointment:EPIC|A400")).extracting(PlannedRow::patientKey).containsOnly(JANE);
        JsonNode consent = json.readTree(api("GET", "/api/consent?phone=%2B16175550123").body()).path("consent");
        assertThat(consent.findValuesAsText("patientKey")).containsExactly(JANE);
        assertThat(consent.findValuesAsText("status")).containsExactly("OPT_IN");
    }

    private byte[] adt(String trigger, String controlId) {
        return ("MSH|^~\\&|EPIC|EPICADT|CARELOOP|MERCY|20261210100000||ADT^" + trigger + "|" + controlId + "|P|2.5\r"
                + "EVN|" + trigger + "|20261210100000\r"
                + "PID|1||E100^^^EPI^MR||DOE^JANE||||||||^PRN^CP^^^^^^^^^" + PHONE + "||ENG\r"
                + "PV1|1|I|4WEST^412^B^MERCY||||5566^NGUYEN^LINH^^^DR||||||||||||V77\r")
                .getBytes(StandardCharsets.US_ASCII);
    }


    private PlannedRow row(String key) throws Exception {
        return Reads.first(store(), "SELECT " + PlannedRow.COLUMNS + " FROM wa_outbound WHERE idempotency_key = ?",
                PlannedRow::of, key).orElseThrow(() -> new AssertionError("no row " + key));
    }
}
