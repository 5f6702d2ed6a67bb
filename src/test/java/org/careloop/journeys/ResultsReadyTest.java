package org.careloop.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.store.Reads;
import org.careloop.testing.Oru;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.SendingEngineTest;
import org.careloop.whatsapp.simulator.Received;
import org.junit.jupiter.api.Test;

/**
 * The results-ready journey as shipped (mappings/results.yaml), through the running engine: ORU^R01 over MLLP in,
 * the WhatsApp simulator out, on a clock the test moves from Thursday 10:00 in New York (a 2 h batch window, so a
 * notice of reports arriving now is due at 12:00). What the patient receives is read message by message.
 */
class ResultsReadyTest extends SendingEngineTest {

    private static final String PHONE = "+16175550123";
    private static final String PATIENT = "EPI|E100";
    private static final String VISIT_SUBJECT = "results:visit:EPIC|V100";
    private static final Instant NOON = THURSDAY_MORNING.plus(Duration.ofHours(2));

    private final Oru jane = new Oru("E100", "JANE", PHONE, "19800102");

    @Test
    void reportsOfOneVisitWithinTheWindowGiveOneNoticeWhenItEnds() throws Exception {
        optIn(PATIENT, PHONE);
        deliver(jane.report("r1", "V100", "L1", Oru.LIPID_PANEL, "F"));
        clock.advance(Duration.ofMinutes(40));
        deliver(jane.report("r2", "V100", "L2", Oru.BLOOD_COUNT, "F"));

        assertThat(planned(VISIT_SUBJECT)).singleElement().satisfies(row -> {
            assertThat(row.key()).isEqualTo("results-ready|" + VISIT_SUBJECT + "|report-EPIC|L1");
            assertThat(row.state()).isEqualTo("PLANNED");
            assertThat(row.due()).isEqualTo(NOON);
        });
        assertThat(decisions()).containsExactly("EPIC|L1 ANNOUNCED", "EPIC|L2 BATCHED");
        assertThat(inbox().accepted()).isEmpty();

        clock.set(NOON.plusSeconds(1));
        inbox().awaitAccepted(1);
        assertNotice(inbox().accepted().get(0), "en_US", "Jane");
        // its "View results" button opens the portal at the first report, by its id
        JsonNode url = new ObjectMapper().readTree(inbox().accepted().get(0).request()).path("template")
                .path("components").get(1);
        assertThat(url.path("sub_type").asText()).isEqualTo("url");
        assertThat(url.path("index").asText()).isEqualTo("0");
        assertThat(url.path("parameters").get(0).path("text").asText()).isEqualTo("L1");

        // a report of the same visit after its notice went out is news again, in a window of its own
        deliver(jane.report("r3", "V100", "L3", Oru.LIPID_PANEL, "F"));
        assertThat(planned(VISIT_SUBJECT)).extracting(PlannedRow::key, PlannedRow::due).contains(
                org.assertj.core.groups.Tuple.tuple("results-ready|" + VISIT_SUBJECT + "|report-EPIC|L3",
                        NOON.plusSeconds(1).plus(Duration.ofHours(2))));
        assertThat(inbox().accepted()).hasSize(1);
    }

    @Test
    void aPreliminaryResultWaitsAndTheFinalOneIsAnnounced() throws Exception {
        optIn(PATIENT, PHONE);
        deliver(jane.report("r1", "V100", "L1", Oru.BLOOD_COUNT, "P"));

        assertThat(planned(VISIT_SUBJECT)).isEmpty();
        assertThat(decisions()).containsExactly("EPIC|L1 WAITING");
        assertThat(reason("EPIC|L1")).isEqualTo("waiting for a final result: the status is 'P', announced are [F, C]");

        clock.advance(Duration.ofHours(3));
        deliver(jane.report("r2", "V100", "L1", Oru.BLOOD_COUNT, "F"));
        assertThat(decisions()).containsExactly("EPIC|L1 ANNOUNCED");
        clock.advance(Duration.ofHours(2).plusSeconds(1));
        inbox().awaitAccepted(1);
        assertNotice(inbox().accepted().get(0), "en_US", "Jane");
    }

    @Test
    void aCorrectedResultAfterTheNoticeSendsNothingMoreAndAReplayNothingAtAll() throws Exception {
        optIn(PATIENT, PHONE);
        deliver(jane.report("r1", "V100", "L1", Oru.LIPID_PANEL, "F"));
        clock.set(NOON.plusSeconds(1));
        inbox().awaitAccepted(1);

        deliver(jane.report("r2", "V100", "L1", Oru.LIPID_PANEL, "C"));
        deliver(jane.report("r3", "V100", "L1", Oru.LIPID_PANEL, "F")); // a replay from the interface engine

        assertThat(planned(VISIT_SUBJECT)).singleElement().extracting(PlannedRow::state)
                .isIn("SENT", "DELIVERED", "READ");
        assertThat(count("SELECT COUNT(*) FROM result_report WHERE order_key = 'EPIC|L1' AND status = 'F'"))
                .isEqualTo(1);
        assertThat(inbox().accepted()).hasSize(1);
    }

    @Test
    void aMappingThatAsksForItAnnouncesACorrectionOnce() throws Exception {
        Path mapping = dataDir.resolve("results-notify.yaml");
        Files.writeString(mapping, Files.readString(Path.of("mappings", "results.yaml"))
                .replace("onCorrection: ignore", "onCorrection: notify"));
        engine.close();
        engine = startEngine(Map.of("careloop.planning.mapping-files", "mappings/appointments.yaml," + mapping));
        optIn(PATIENT, PHONE);
        deliver(jane.report("r1", "V100", "L1", Oru.LIPID_PANEL, "F"));
        deliver(jane.report("r2", "V100", "L1", Oru.LIPID_PANEL, "C")); // before the notice: it covers the correction
        assertThat(planned(VISIT_SUBJECT)).hasSize(1);
        clock.set(NOON.plusSeconds(1));
        inbox().awaitAccepted(1);
        clock.advance(PAIR_SPACING);

        deliver(jane.report("r3", "V100", "L1", Oru.LIPID_PANEL, "C"));
        deliver(jane.report("r4", "V100", "L1", Oru.LIPID_PANEL, "C")); // corrected again: told once is enough
        inbox().awaitAccepted(2);

        assertThat(planned(VISIT_SUBJECT)).extracting(PlannedRow::key).containsExactly(
                "results-ready|" + VISIT_SUBJECT + "|corrected-EPIC|L1",
                "results-ready|" + VISIT_SUBJECT + "|report-EPIC|L1");
        assertNotice(inbox().accepted().get(1), "en_US", "Jane");
    }

    @Test
    void sensitiveResultsAreHeldWithTheDecisionAndItsReasonOnTheRow() throws Exception {
        optIn(PATIENT, PHONE);
        deliver(jane.report("r1", "V100", "L1", Oru.HIV_SCREEN, "F"));
        deliver(jane.report("r2", "V100", "L2", Oru.BIOPSY, "F"));
        deliver(jane.report("r3", "V100", "L3", Oru.LIPID_PANEL, "F"));

        List<PlannedRow> rows = planned(VISIT_SUBJECT);
        assertThat(rows).extracting(PlannedRow::key, PlannedRow::state, PlannedRow::due, PlannedRow::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("results-ready|" + VISIT_SUBJECT + "|report-EPIC|L1",
                                "SUPPRESSED", NOON, "sensitive result (site rule 'hiv'): never announced"),
                        org.assertj.core.groups.Tuple.tuple("results-ready|" + VISIT_SUBJECT + "|report-EPIC|L2",
                                "PLANNED", THURSDAY_MORNING.plus(Duration.ofHours(72)),
                                "sensitive result (site rule 'pathology'): announced 72h after the final result"),
                        org.assertj.core.groups.Tuple.tuple("results-ready|" + VISIT_SUBJECT + "|report-EPIC|L3",
                                "PLANNED", NOON, null));
        assertThat(decisions()).containsExactly("EPIC|L1 NEVER", "EPIC|L2 HELD", "EPIC|L3 ANNOUNCED");

        clock.set(NOON.plusSeconds(1));
        inbox().awaitAccepted(1);
        clock.set(THURSDAY_MORNING.plus(Duration.ofHours(72)).plusSeconds(1));
        inbox().awaitAccepted(2);
        assertThat(inbox().accepted()).hasSize(2).allSatisfy(notice -> assertNotice(notice, "en_US", "Jane"));
        assertThat(planned(VISIT_SUBJECT).get(0).state()).isEqualTo("SUPPRESSED");
    }

    @Test
    void aMinorIsToldNothingAndTheReasonSaysSo() throws Exception {
        Oru child = new Oru("E300", "TIM", PHONE, "20150601");
        optIn("EPI|E300", PHONE);
        deliver(child.report("r1", "V300", "L1", Oru.LIPID_PANEL, "F"));

        assertThat(planned("results:visit:EPIC|V300")).singleElement().satisfies(row -> {
            assertThat(row.state()).isEqualTo("SUPPRESSED");
            assertThat(row.reason()).isEqualTo("the patient is under 18 (results.minimumAge): results are not "
                    + "announced to minors, and no guardian contact is mapped");
        });
        assertThat(decisions()).containsExactly("EPIC|L1 MINOR");
    }

    @Test
    void aSpanishSpeakingPatientIsToldInSpanish() throws Exception {
        optIn(PATIENT, PHONE);
        deliver(new String(jane.report("r1", "", "L9", Oru.LIPID_PANEL, "F"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("||ENG\r", "||SPA\r").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        clock.set(NOON.plusSeconds(1));
        inbox().awaitAccepted(1);
        assertNotice(inbox().accepted().get(0), "es", "Jane");
        // no visit: the order group (ORC-4) is what one notice covers
        assertThat(planned("results:group:EPIC|G-L9")).hasSize(1);
    }

    @Test
    void aTestTheSiteAllowsIsNamedAloneAndNotOnceItSharesTheNotice() throws Exception {
        Path mapping = dataDir.resolve("results-named.yaml");
        Files.writeString(mapping, Files.readString(Path.of("mappings", "results.yaml"))
                .replace("name: results_ready", "name: results_ready_named")
                .replace("    urlButton: \"{result.id}\"\n", "")
                .replace("      - \"{site.name}\"", "      - \"{result.name?new tests}\"\n      - \"{site.name}\"")
                .replace("      announce: [F, C]", "      announce: [F, C]\n      namedTests: [LN|24331-1]"));
        engine.close();
        engine = startEngine(Map.of("careloop.planning.mapping-files", mapping.toString()));
        optIn(PATIENT, PHONE);

        deliver(jane.report("r1", "V100", "L1", Oru.LIPID_PANEL, "F"));
        assertThat(planned(VISIT_SUBJECT).get(0).parameters()).containsExactly("Jane", "Lipid panel",
                "Mercy Hospital");
        deliver(jane.report("r2", "V100", "L2", Oru.BLOOD_COUNT, "F")); // not listed: the shared notice names none
        deliver(jane.report("r3", "V200", "L3", Oru.BLOOD_COUNT, "F"));

        assertThat(planned(VISIT_SUBJECT)).singleElement().extracting(PlannedRow::parameters)
                .isEqualTo(List.of("Jane", "new tests", "Mercy Hospital"));
        assertThat(planned("results:visit:EPIC|V200")).singleElement().extracting(PlannedRow::parameters)
                .isEqualTo(List.of("Jane", "new tests", "Mercy Hospital"));
        clock.set(NOON.plusSeconds(1));
        inbox().awaitAccepted(1);
        clock.advance(PAIR_SPACING);
        inbox().awaitAccepted(2);
        assertThat(inbox().accepted()).extracting(Received::template).containsOnly("results_ready_named");
        assertThat(inbox().accepted()).allSatisfy(notice -> assertThat(notice.request()).doesNotContain("CBC",
                "Lipid"));
    }

    private static void assertNotice(Received notice, String language, String given) {
        assertThat(notice.template()).isEqualTo("results_ready");
        assertThat(notice.language()).isEqualTo(language);
        assertThat(PatientInbox.parameters(notice)).containsExactly(given, "Mercy Hospital");
        assertThat(notice.request()).doesNotContain("Lipid", "VALUE-NEVER-SHOWN", "24331-1", "HIV", "Pathology");
    }

    /** "order decision" for every report, by order key. */
    private List<String> decisions() throws SQLException {
        return Reads.list(store(), "SELECT order_key, decision FROM result_report ORDER BY order_key",
                row -> row.getString(1) + " " + row.getString(2));
    }

    private String reason(String orderKey) throws SQLException {
        return Reads.first(store(), "SELECT reason FROM result_report WHERE order_key = ?", row -> row.getString(1),
                orderKey).orElse(null);
    }
}
