package org.careloop.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.careloop.testing.JourneyTest;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.Rde;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Medication reminders as shipped (mappings/medications.yaml: BID at 09:00 and 21:00, quiet hours 21:00-08:00 in New
 * York, at most 6 a day), through the running engine: RDE^O11 over MLLP in, the WhatsApp simulator out, the patient's
 * taps back as signed webhooks, on a clock the test sets to Saturday 13 March 2027, 08:00, the day before the clocks
 * go forward.
 */
class MedicationRemindersTest extends JourneyTest {

    private static final String ORDER = "medication:EPIC|RX1";
    private static final Instant SATURDAY_0800 = Instant.parse("2027-03-13T13:00:00Z");

    private final Rde jane = new Rde("E100", "JANE", PHONE);
    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected Map<String, String> properties() {
        Map<String, String> settings = new HashMap<>(super.properties());
        settings.put("careloop.site.quiet-hours", "21:00-08:00");
        settings.put("careloop.fhir.adherence-writeback", "medication-statement");
        return settings;
    }

    @BeforeEach
    void twoDaysBeforeTheClocksGoForward() {
        clock.set(SATURDAY_0800);
    }

    @Test
    void aBidOrderOverThreeDaysAcrossTheClockChangeKeepsItsLocalTimesAndMovesTheEveningDoseOutOfQuietHours()
            throws Exception {
        deliver(jane.order("o1", "NW", "RX1", "BID", "20270313", "20270315235900"));

        assertThat(planned(ORDER)).extracting(PlannedRow::key, PlannedRow::due).containsExactly(
                tuple(key("2027-03-13T09:00"), Instant.parse("2027-03-13T14:00:00Z")),   // 09:00 EST
                tuple(key("2027-03-13T21:00"), Instant.parse("2027-03-14T01:59:00Z")),   // 20:59 EST
                tuple(key("2027-03-14T09:00"), Instant.parse("2027-03-14T13:00:00Z")),   // 09:00 EDT
                tuple(key("2027-03-14T21:00"), Instant.parse("2027-03-15T00:59:00Z")),   // 20:59 EDT
                tuple(key("2027-03-15T09:00"), Instant.parse("2027-03-15T13:00:00Z")),
                tuple(key("2027-03-15T21:00"), Instant.parse("2027-03-16T00:59:00Z")));

        clock.set(Instant.parse("2027-03-13T14:00:01Z"));
        awaitReminder(1);
        clock.set(Instant.parse("2027-03-14T13:00:01Z")); // the evening dose's hour has gone by: it expired
        awaitReminder(2);
        assertThat(planned(ORDER).get(1).state()).isEqualTo("EXPIRED");
    }

    @Test
    void withQuietDosesSkippedTheEveningDoseIsNotReminded() throws Exception {
        Path mapping = dataDir.resolve("medications-skip.yaml");
        Files.writeString(mapping, Files.readString(Path.of("mappings", "medications.yaml"))
                .replace("quietDoses: move", "quietDoses: skip"));
        engine.close();
        engine = startEngine(Map.of("careloop.planning.mapping-files", mapping.toString()));

        deliver(jane.order("o1", "NW", "RX1", "BID", "20270313", "20270314235900"));

        assertThat(planned(ORDER)).extracting(PlannedRow::key).containsExactly(key("2027-03-13T09:00"),
                key("2027-03-14T09:00"));
    }

    @Test
    void aPatientGetsAtMostSixADayAcrossAllOrders() throws Exception {
        deliver(jane.order("o1", "NW", "RX1", "QID", "20270314", "20270314235900"));
        deliver(jane.order("o2", "NW", "RX2", "QID", "20270314", "20270314235900"));

        assertThat(planned(ORDER)).extracting(PlannedRow::state).containsOnly("PLANNED");
        assertThat(planned("medication:EPIC|RX2")).extracting(PlannedRow::key, PlannedRow::state, PlannedRow::reason)
                .containsExactly(
                        tuple("medication-reminder|medication:EPIC|RX2|dose-2027-03-14T08:00", "PLANNED", null),
                        tuple("medication-reminder|medication:EPIC|RX2|dose-2027-03-14T12:00", "PLANNED", null),
                        tuple("medication-reminder|medication:EPIC|RX2|dose-2027-03-14T16:00", "SUPPRESSED",
                                "the patient's day already has 6 medication reminders (medications.maxPerDay)"),
                        tuple("medication-reminder|medication:EPIC|RX2|dose-2027-03-14T20:00", "SUPPRESSED",
                                "the patient's day already has 6 medication reminders (medications.maxPerDay)"));
    }

    @Test
    void aDiscontinueMidCourseStopsTheRestAndAReplayDoesNotBringThemBack() throws Exception {
        deliver(jane.order("o1", "NW", "RX1", "BID", "20270313", "20270315235900"));
        clock.set(Instant.parse("2027-03-13T14:00:01Z"));
        awaitReminder(1);

        deliver(jane.order("o2", "DC", "RX1", "BID", "20270313", "20270315235900"));
        deliver(jane.order("o1", "NW", "RX1", "BID", "20270313", "20270315235900")); // the interface engine's replay

        List<PlannedRow> rows = planned(ORDER);
        assertThat(rows.get(0).state()).isIn("SENT", "DELIVERED", "READ");
        assertThat(rows.subList(1, 6)).extracting(PlannedRow::state, PlannedRow::reason)
                .containsOnly(tuple("CANCELLED", "the order was discontinued (RDE^O11)"));
    }

    @Test
    void aChangedOrderReplacesTheRemindersStillToGo() throws Exception {
        deliver(jane.order("o1", "NW", "RX1", "BID", "20270313", "20270315235900"));

        deliver(jane.order("o2", "XO", "RX1", "QD", "20270313", "20270315235900"));

        assertThat(planned(ORDER)).extracting(PlannedRow::key, PlannedRow::state, PlannedRow::reason).containsExactly(
                tuple(key("2027-03-13T09:00"), "PLANNED", null),
                tuple(key("2027-03-13T21:00"), "CANCELLED", "replaced by a changed order (ORC-1 XO)"),
                tuple(key("2027-03-14T09:00"), "PLANNED", null),
                tuple(key("2027-03-14T21:00"), "CANCELLED", "replaced by a changed order (ORC-1 XO)"),
                tuple(key("2027-03-15T09:00"), "PLANNED", null),
                tuple(key("2027-03-15T21:00"), "CANCELLED", "replaced by a changed order (ORC-1 XO)"));
    }

    @Test
    void takenAndSkipAreRecordedProblemGoesToTheCareTeamAndStopEndsTheReminders() throws Exception {
        deliver(jane.order("o1", "NW", "RX1", "QID", "20270313", "20270315235900"));
        clock.set(Instant.parse("2027-03-13T13:00:01Z"));
        simulator().reply(WA_ID, awaitReminder(1).wamid(), "button", "TAKEN:" + ORDER, "Taken");
        clock.advance(PAIR_SPACING);
        inbox().awaitAccepted(2);
        assertThat(inbox().described().get(1)).isEqualTo("text Thank you, noted.");

        clock.set(Instant.parse("2027-03-13T17:00:01Z"));
        simulator().reply(WA_ID, awaitReminder(3).wamid(), "button", "SKIP:" + ORDER, "Skip");
        clock.advance(PAIR_SPACING);
        inbox().awaitAccepted(4);

        clock.set(Instant.parse("2027-03-13T21:00:01Z"));
        simulator().reply(WA_ID, awaitReminder(5).wamid(), "button", "PROBLEM:" + ORDER, "Problem");
        clock.advance(PAIR_SPACING);
        inbox().awaitAccepted(6);
        await().atMost(Duration.ofSeconds(20)).until(() -> fhir.tasks().all().size() == 1);
        Task task = fhir.tasks().all().get(0);
        assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.URGENT);
        assertThat(task.getDescription()).isEqualTo("The patient reported a problem by WhatsApp with the medication "
                + "order " + ORDER + " (the reminder dose-2027-03-13T16:00)");
        assertThat(count("SELECT COUNT(*) FROM staff_queue WHERE kind = 'CLINICAL_REVIEW' AND subject_key = ?",
                ORDER)).isEqualTo(1);

        simulator().reply(WA_ID, inbox().accepted().get(4).wamid(), "button", "STOP_REMINDER:" + ORDER,
                "Stop reminders");
        clock.advance(PAIR_SPACING);
        inbox().awaitAccepted(7);
        assertThat(inbox().described().get(6)).isEqualTo(
                "text You will get no more reminders for this medication. Our other messages continue.");
        assertThat(planned(ORDER).subList(3, 12)).extracting(PlannedRow::state, PlannedRow::reason)
                .containsOnly(tuple("CANCELLED", "the patient stopped these reminders by WhatsApp"));

        await().atMost(Duration.ofSeconds(20)).until(() -> fhir.medicationStatements().all().size() == 2);
        assertThat(fhir.medicationStatements().all()).extracting(s -> s.getStatus().toCode(),
                s -> s.getMedicationCodeableConcept().getCodingFirstRep().getCode(),
                s -> s.getSubject().getReference()).containsExactlyInAnyOrder(
                        tuple("completed", "197361", "Patient/" + patientId),
                        tuple("not-taken", "197361", "Patient/" + patientId));
        JsonNode adherence = json.readTree(api("GET", "/api/medications/adherence?patient=EPI%7CE100").body());
        assertThat(adherence).singleElement().satisfies(order -> {
            assertThat(order.path("subject").asText()).isEqualTo(ORDER);
            assertThat(order.path("reminded").asLong()).isEqualTo(3);
            assertThat(order.path("taken").asLong()).isEqualTo(1);
            assertThat(order.path("skipped").asLong()).isEqualTo(1);
        });
        deliver(jane.order("o1", "NW", "RX1", "QID", "20270313", "20270315235900")); // a replay changes nothing
        assertThat(count("SELECT COUNT(*) FROM wa_outbound WHERE subject_key = ? AND state = 'PLANNED'", ORDER))
                .isZero();
    }

    @Test
    void aMedicationRequestFromTheFhirServerIsRemindedAndItsStopEndsTheReminders() throws Exception {
        recordJanesMobile();
        subscribe(MedicationRequest.class, "medications", "test-medications-secret");
        MedicationRequest request = new MedicationRequest().setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference("Patient/" + patientId))
                .setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "197361",
                        "Amlodipine 5 MG Oral Tablet")));
        Timing.TimingRepeatComponent repeat = request.addDosageInstruction().getTiming().getRepeat();
        repeat.setFrequency(2).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D)
                .setBounds(new Period().setStartElement(new DateTimeType("2027-03-13T00:00:00-05:00"))
                        .setEndElement(new DateTimeType("2027-03-14T23:59:00-04:00")));
        String id = fhir.medicationRequests().create(request, null).getId().getIdPart();
        String subject = "medication:FHIR|" + id;
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).size() == 4);
        String keys = "medication-reminder|" + subject + "|dose-";
        assertThat(planned(subject)).extracting(PlannedRow::key, PlannedRow::state, PlannedRow::recipient)
                .containsExactly(tuple(keys + "2027-03-13T09:00", "PLANNED", PHONE),
                        tuple(keys + "2027-03-13T21:00", "PLANNED", PHONE),
                        tuple(keys + "2027-03-14T09:00", "PLANNED", PHONE),
                        tuple(keys + "2027-03-14T21:00", "PLANNED", PHONE));

        MedicationRequest stopped = fhir.medicationRequests().current(id).copy();
        stopped.setStatus(MedicationRequest.MedicationRequestStatus.STOPPED);
        fhir.medicationRequests().update(stopped.getIdElement().toUnqualifiedVersionless(), stopped);

        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).stream()
                .allMatch(row -> row.state().equals("CANCELLED")));
        assertThat(planned(subject)).extracting(PlannedRow::reason)
                .containsOnly("the order was discontinued (MedicationRequest)");
    }

    private static String key(String localDose) {
        return "medication-reminder|" + ORDER + "|dose-" + localDose;
    }

    /** Waits for the {@code count}th message and checks it is a reminder for Jane that names no drug. */
    private Received awaitReminder(int count) {
        inbox().awaitAccepted(count);
        Received reminder = inbox().accepted().get(count - 1);
        assertThat(reminder.template()).isEqualTo("medication_reminder");
        assertThat(reminder.language()).isEqualTo("en_US");
        assertThat(PatientInbox.parameters(reminder)).containsExactly("Jane", "Mercy Hospital");
        assertThat(reminder.request()).doesNotContain("Amlodipine");
        return reminder;
    }
}
