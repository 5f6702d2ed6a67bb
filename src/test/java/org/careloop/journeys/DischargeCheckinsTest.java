package org.careloop.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;
import static org.careloop.testing.HttpAssertions.assertStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.testing.Adt;
import org.careloop.testing.JourneyTest;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.PlannedRow;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * The post-discharge check-ins as shipped (mappings/checkins.yaml: days 1, 3 and 7 after the discharge at 10:00),
 * through the running engine: ADT over MLLP in, the WhatsApp simulator out, the patient's taps back as signed
 * webhooks, the care team's Task on the hospital's FHIR server, on a clock the test moves from Thursday 10 December
 * 2026, 10:00 in New York (Jane is discharged that day at 12:00).
 */
class DischargeCheckinsTest extends JourneyTest {

    private static final String VISIT = "visit:EPIC|V900";
    private static final Instant DAY_1 = Instant.parse("2026-12-11T15:00:00Z");
    private static final Instant DAY_3 = Instant.parse("2026-12-13T15:00:00Z");
    private static final Instant DAY_7 = Instant.parse("2026-12-17T15:00:00Z");

    private final Adt jane = new Adt("E100", "JANE", PHONE, "ENG");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void betterThenWorseWritesATaskPausesTheSequenceAndClosingTheReviewLetsItGoOn() throws Exception {
        deliver(jane.dischargedFrom("d1", "V900"));
        deliver(jane.dischargedFrom("d2", "V900")); // the interface engine's replay plans nothing twice
        assertThat(planned(VISIT)).extracting(PlannedRow::key, PlannedRow::state, PlannedRow::due).containsExactly(
                tuple("discharge-checkin|" + VISIT + "|day-1", "PLANNED", DAY_1),
                tuple("discharge-checkin|" + VISIT + "|day-3", "PLANNED", DAY_3),
                tuple("discharge-checkin|" + VISIT + "|day-7", "PLANNED", DAY_7));

        clock.set(DAY_1.plusSeconds(1));
        Received first = awaitCheckin(1);
        simulator().reply(WA_ID, first.wamid(), "button", "BETTER:" + VISIT, "Better");
        clock.advance(PAIR_SPACING);
        inbox().awaitAccepted(2);
        assertThat(inbox().described().get(1)).isEqualTo(
                "text Thank you, we are glad to hear you are feeling better.");

        clock.set(DAY_3.plusSeconds(1));
        Received second = awaitCheckin(3);
        simulator().reply(WA_ID, second.wamid(), "button", "WORSE:" + VISIT, "Worse");
        clock.advance(PAIR_SPACING);
        inbox().awaitAccepted(4);
        assertThat(inbox().described().get(3)).isEqualTo("text Thank you for telling us. A member of your care team "
                + "will contact you. If it is an emergency, call 911.");
        await().atMost(Duration.ofSeconds(20)).until(() -> fhir.tasks().all().size() == 1);
        Task task = fhir.tasks().all().get(0);
        assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.URGENT);
        assertThat(task.getFor().getReference()).startsWith("Patient/");
        assertThat(task.getDescription()).isEqualTo("The patient answered 'Worse' (WORSE) by WhatsApp to " + VISIT);
        assertThat(planned(VISIT).get(2)).satisfies(day7 -> {
            assertThat(day7.state()).isEqualTo("SUPPRESSED");
            assertThat(day7.reason()).isEqualTo("paused: a worrying answer is with the care team (clinical review "
                    + "in the staff queue)");
        });
        JsonNode review = json.readTree(api("GET", "/api/replies/staff-queue").body()).get(0);
        assertThat(review.path("kind").asText()).isEqualTo("CLINICAL_REVIEW");
        assertThat(review.path("subjectKey").asText()).isEqualTo(VISIT);

        clock.set(DAY_7.plusSeconds(1));
        assertThat(inbox().accepted()).hasSize(4); // paused: the day-7 check-in waits for staff

        assertStatus(http("POST", "/api/replies/staff-queue/" + review.path("id").asLong() + "/close", API_TOKEN,
                null), 200);
        awaitCheckin(5);
        assertThat(inbox().accepted()).hasSize(5);

        JsonNode answers = json.readTree(api("GET", "/api/checkins?patient=EPI%7CE100").body());
        assertThat(answers).extracting(a -> a.path("slot").asText(), a -> a.path("answer").asText(null))
                .containsExactly(tuple("day-1", "BETTER"), tuple("day-3", "WORSE"), tuple("day-7", null));
    }

    @Test
    void aMessageWithRedFlagWordsGoesToClinicalReviewAndPausesTheSequence() throws Exception {
        deliver(jane.dischargedFrom("d1", "V900"));
        clock.set(DAY_1.plusSeconds(1));
        Received first = awaitCheckin(1);

        simulator().reply(WA_ID, first.wamid(), "text", null, "I have CHEST PAIN since last night");

        await().atMost(Duration.ofSeconds(20)).until(() -> fhir.tasks().all().size() == 1);
        assertThat(fhir.tasks().all().get(0).getDescription()).isEqualTo("The patient's WhatsApp message holds words "
                + "the site flags for a clinician: I have CHEST PAIN since last night");
        assertThat(count("SELECT COUNT(*) FROM staff_queue WHERE kind = 'CLINICAL_REVIEW' AND subject_key = ?",
                VISIT)).isEqualTo(1);
        List<PlannedRow> rows = planned(VISIT);
        assertThat(rows.get(0).state()).isIn("SENT", "DELIVERED", "READ");
        assertThat(rows.subList(1, 3)).extracting(PlannedRow::state).containsOnly("SUPPRESSED");
    }

    @Test
    void aReadmissionStopsTheSequence() throws Exception {
        deliver(jane.dischargedFrom("d1", "V900"));
        clock.set(DAY_1.plusSeconds(1));
        awaitCheckin(1);

        deliver(jane.visitEvent("A01", "a1", "V901"));

        List<PlannedRow> rows = planned(VISIT);
        assertThat(rows.get(0).state()).isIn("SENT", "DELIVERED", "READ");
        assertThat(rows.subList(1, 3)).extracting(PlannedRow::state, PlannedRow::reason)
                .containsOnly(tuple("CANCELLED", "the patient was admitted again (ADT^A01)"));
    }

    @Test
    void aCancelledDischargeOrAdmissionStopsTheVisitsSequence() throws Exception {
        deliver(jane.dischargedFrom("d1", "V900"));
        deliver(jane.visitEvent("A13", "c1", "V900"));
        assertThat(planned(VISIT)).extracting(PlannedRow::reason).containsOnly("the discharge was cancelled (ADT^A13)");

        deliver(jane.dischargedFrom("d2", "V901"));
        deliver(jane.visitEvent("A11", "c2", "V901"));
        assertThat(planned("visit:EPIC|V901")).extracting(PlannedRow::reason)
                .containsOnly("the admission was cancelled (ADT^A11)");
    }

    @Test
    void aDeathStopsEverything() throws Exception {
        deliver(jane.dischargedFrom("d1", "V900"));

        deliver(jane.updated("u1", "Y"));

        assertThat(planned(VISIT)).extracting(PlannedRow::state, PlannedRow::reason).containsOnly(
                tuple("CANCELLED", "the record says the patient has died (ADT^A08 from EPIC)"));
        clock.set(DAY_7.plusSeconds(1));
        assertThat(inbox().accepted()).isEmpty();
    }

    @Test
    void aFinishedEncounterStartsTheSequenceAndANewInpatientStayStopsIt() throws Exception {
        recordJanesMobile();
        subscribe(Encounter.class, "encounters", "test-encounters-secret");
        Encounter stay = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient"))
                .setSubject(new Reference("Patient/" + patientId))
                .setPeriod(new Period().setStartElement(new DateTimeType("2026-12-07T09:00:00-05:00")));
        String id = fhir.encounters().create(stay, null).getId().getIdPart();
        String subject = "visit:FHIR|" + id;

        Encounter finished = fhir.encounters().current(id).copy().setStatus(Encounter.EncounterStatus.FINISHED);
        finished.getPeriod().setEndElement(new DateTimeType("2026-12-10T12:00:00-05:00"));
        finished.getHospitalization().getDischargeDisposition().addCoding().setCode("home");
        fhir.encounters().update(finished.getIdElement().toUnqualifiedVersionless(), finished);

        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).size() == 3);
        assertThat(planned(subject)).extracting(PlannedRow::key, PlannedRow::state, PlannedRow::due).containsExactly(
                tuple("discharge-checkin|" + subject + "|day-1", "PLANNED", DAY_1),
                tuple("discharge-checkin|" + subject + "|day-3", "PLANNED", DAY_3),
                tuple("discharge-checkin|" + subject + "|day-7", "PLANNED", DAY_7));

        fhir.encounters().create(new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMER", "emergency"))
                .setSubject(new Reference("Patient/" + patientId)), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).stream()
                .allMatch(row -> row.state().equals("CANCELLED")));
        assertThat(planned(subject)).extracting(PlannedRow::reason)
                .containsOnly("the patient was admitted again (Encounter)");
    }

    /** Waits for the {@code count}th message and checks it is a check-in for Jane, as the template shows it. */
    private Received awaitCheckin(int count) {
        inbox().awaitAccepted(count);
        Received checkin = inbox().accepted().get(count - 1);
        assertThat(checkin.template()).isEqualTo("visit_checkin");
        assertThat(checkin.language()).isEqualTo("en_US");
        assertThat(PatientInbox.parameters(checkin)).containsExactly("Jane", "Mercy Hospital");
        return checkin;
    }
}
