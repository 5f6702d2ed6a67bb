package org.careloop.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.careloop.app.CareLoopEngine;
import org.careloop.testing.TestEngines;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a mapping can fail its catalog stops start-up, naming the file, the mapping and the fix. */
class MappingValidationTest {

    private static final Path CATALOG = Path.of("mappings", "templates.yaml");

    @TempDir
    Path dir;

    @Test
    void theShippedMappingsFitTheShippedCatalog() {
        assertThat(MappingFiles.load(List.of(Path.of("mappings", "appointments.yaml")), catalog(), CATALOG))
                .extracting(Mapping::id).containsExactly("booking-confirmation", "appointment-reminder",
                        "reschedule-notice", "cancellation-notice", "no-show-rebook");
    }

    @Test
    void theShippedResultsMappingFitsTheCatalogWithItsRulesRead() {
        Mapping results = MappingFiles.load(List.of(Path.of("mappings", "results.yaml")), catalog(), CATALOG).get(0);

        assertThat(results.id()).isEqualTo("results-ready");
        assertThat(results.results().announced()).containsExactly("F", "C");
        assertThat(results.results().batchWindow()).isEqualTo(java.time.Duration.ofHours(2));
        assertThat(results.results().minimumAge()).isEqualTo(18);
        assertThat(results.results().sensitive()).extracting(ResultRules.Sensitive::id, ResultRules.Sensitive::delay)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hiv", null),
                        org.assertj.core.groups.Tuple.tuple("pregnancy", null),
                        org.assertj.core.groups.Tuple.tuple("genetics", null),
                        org.assertj.core.groups.Tuple.tuple("pathology", java.time.Duration.ofHours(72)));
    }

    @Test
    void theShippedCheckinsAreThreeDaysAfterTheDischargeAtTen() {
        Mapping checkins = MappingFiles.load(List.of(Path.of("mappings", "checkins.yaml")), catalog(), CATALOG).get(0);

        assertThat(checkins.afterDischarge()).extracting(Mapping.CheckinDay::slot, Mapping.CheckinDay::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("day-1", java.time.LocalTime.of(10, 0)),
                        org.assertj.core.groups.Tuple.tuple("day-3", java.time.LocalTime.of(10, 0)),
                        org.assertj.core.groups.Tuple.tuple("day-7", java.time.LocalTime.of(10, 0)));
        assertThat(checkins.buttons()).containsExactly("BETTER", "SAME", "WORSE");
    }

    @Test
    void aBadCheckinDayAndACheckinThatAnswersNoDischargeAreNamed() throws Exception {
        Path file = dir.resolve("checkins.yaml");
        Files.writeString(file, """
                mappings:
                  - id: c1
                    when: { events: [PATIENT_ADMITTED] }
                    template: { name: visit_checkin, languages: [en_US] }
                    parameters: ["{patient.given}", "{site.name}"]
                    schedule: { afterDischarge: [1d 10:00, tomorrow, 2d 25:00] }
                """);

        Throwable failure = catchThrowable(() -> MappingFiles.load(List.of(file), catalog(), CATALOG));

        assertThat(failure.getMessage()).contains(
                file + ": mapping 'c1': 'schedule.afterDischarge' tomorrow is not a day and a local time such as "
                        + "1d 10:00 (the day after discharge, at 10:00)",
                file + ": mapping 'c1': 'schedule.afterDischarge' 2d 25:00 is not a day and a local time",
                file + ": mapping 'c1': 'schedule.afterDischarge' counts days from a discharge: make 'when.events' "
                        + "[PATIENT_DISCHARGED]");
    }

    @Test
    void theShippedMedicationRemindersNameNoDrug() {
        Mapping reminders = MappingFiles.load(List.of(Path.of("mappings", "medications.yaml")), catalog(), CATALOG)
                .get(0);

        assertThat(reminders.medications().times().get("BID")).containsExactly(java.time.LocalTime.of(9, 0),
                java.time.LocalTime.of(21, 0));
        assertThat(reminders.medications().maxPerDay()).isEqualTo(6);
        assertThat(reminders.medications().showDrugName()).isFalse();
        assertThat(reminders.buttons()).containsExactly("TAKEN", "SKIP", "PROBLEM", "STOP_REMINDER");
    }

    @Test
    void theDrugIsNamedOnlyWhereTheSiteAllowsItAndBadMedicationRulesAreNamed() throws Exception {
        Path file = dir.resolve("medications.yaml");
        Files.writeString(file, """
                mappings:
                  - id: m1
                    when: { events: [MEDICATION_ORDERED] }
                    template: { name: visit_checkin, languages: [en_US] }
                    parameters: ["{patient.given}", "{medication.name}"]
                    schedule: immediately
                    medications:
                      times: { BID: [09:00, 9pm] }
                      quietDoses: later
                      maxPerDay: 0
                  - id: m2
                    when: { events: [MEDICATION_ORDERED] }
                    template: { name: visit_checkin, languages: [en_US] }
                    parameters: ["{patient.given}", "{site.name}"]
                    schedule: immediately
                """);

        Throwable failure = catchThrowable(() -> MappingFiles.load(List.of(file), catalog(), CATALOG));

        assertThat(failure.getMessage()).contains(
                file + ": mapping 'm1': 'medications.times.BID' 9pm is not a local time such as 09:00",
                file + ": mapping 'm1': 'medications.quietDoses' is 'later'; use move (to the nearer edge of the "
                        + "quiet hours) or skip",
                file + ": mapping 'm1': 'medications.maxPerDay' is '0'; give a number of reminders such as 6",
                file + ": mapping 'm1': {medication.name} shows the drug, which the site has not allowed: set "
                        + "'medications.showDrugName: true', or remove the field",
                file + ": mapping 'm2': medication reminders are a 'medications' block answering MEDICATION_ORDERED "
                        + "alone");

        Files.writeString(file, Files.readString(file).replace("quietDoses: later", "showDrugName: true")
                .replace("9pm", "21:00").replace("maxPerDay: 0", "maxPerDay: 4"));
        failure = catchThrowable(() -> MappingFiles.load(List.of(file), catalog(), CATALOG));
        assertThat(failure.getMessage()).doesNotContain("'m1'");
    }

    @Test
    void aUrlButtonIsGivenExactlyWhenTheTemplatesTakesAParameter() throws Exception {
        Path file = dir.resolve("portal.yaml");
        Files.writeString(file, """
                mappings:
                  - id: u1
                    when: { events: [RESULT_REPORTED] }
                    template: { name: results_ready, languages: [en_US] }
                    parameters: ["{patient.given}", "{site.name}"]
                    schedule: immediately
                    results: { batchWindow: 1h }
                  - id: u2
                    when: { events: [APPOINTMENT_BOOKED] }
                    template: { name: appointment_missed, languages: [en_US] }
                    parameters: ["{patient.given}", "{appointment.datetime}"]
                    urlButton: "{appointment.id}"
                    schedule: immediately
                """);

        Throwable failure = catchThrowable(() -> MappingFiles.load(List.of(file), catalog(), CATALOG));

        assertThat(failure.getMessage()).contains(
                file + ": mapping 'u1': template 'results_ready' (en_US) has a URL button ending in a parameter "
                        + "(https://portal.mercy.example/results/{{1}}); give the mapping 'urlButton', e.g. "
                        + "\"{result.id}\"",
                file + ": mapping 'u2': template 'appointment_missed' (en_US) has no URL button with a parameter; "
                        + "remove 'urlButton' from the mapping");
    }

    @Test
    void badResultsRulesAreNamedWithTheirFix() throws Exception {
        Path file = dir.resolve("results.yaml");
        Files.writeString(file, """
                mappings:
                  - id: r1
                    when: { events: [RESULT_REPORTED] }
                    template: { name: results_ready, languages: [en_US] }
                    parameters: ["{patient.given}", "{result.name}"]
                    schedule: immediately
                    results:
                      batchWindow: soon
                      onCorrection: always
                      minimumAge: eighteen
                      sensitive:
                        - id: hiv
                          hold: 3 days
                        - id: genetics
                          sections: [CG]
                  - id: r2
                    when: { events: [RESULT_REPORTED] }
                    template: { name: results_ready, languages: [en_US] }
                    parameters: ["{patient.given}", "{site.name}"]
                    schedule: immediately
                  - id: r3
                    when: { events: [RESULT_REPORTED, APPOINTMENT_BOOKED] }
                    template: { name: results_ready, languages: [en_US] }
                    parameters: ["{patient.given}", "{site.name}"]
                    schedule: immediately
                    results: { batchWindow: 1h }
                """);

        Throwable failure = catchThrowable(() -> MappingFiles.load(List.of(file), catalog(), CATALOG));

        assertThat(failure.getMessage()).contains(
                file + ": mapping 'r1': 'results.batchWindow' is 'soon'; use a duration such as 90m, 2h or 3d",
                file + ": mapping 'r1': 'results.onCorrection' is 'always'; use ignore (a corrected result after the "
                        + "notice sends nothing) or notify (it sends the template once more)",
                file + ": mapping 'r1': 'results.minimumAge' is 'eighteen'; give an age in years such as 18",
                file + ": mapping 'r1': sensitive rule 'hiv' names no 'codes' and no 'sections'",
                file + ": mapping 'r1': 'sensitive rule 'hiv' hold' is '3 days'; use a duration such as 90m, 2h or 3d "
                        + "(or never)",
                file + ": mapping 'r1': {result.name} needs a fallback, e.g. {result.name?your test results}",
                file + ": mapping 'r2': it answers RESULT_REPORTED without 'results' rules; add them",
                file + ": mapping 'r3': 'results' rules answer RESULT_REPORTED alone");
        assertThat(failure.getMessage()).doesNotContain("genetics");
    }

    @Test
    void anUnknownTemplate() throws Exception {
        assertProblem(mapping("appointment_reminderr", "[en_US]", 3, "[48h]"), "mapping 'm1': template "
                + "'appointment_reminderr' is not in mappings/templates.yaml; add it there (or run the catalog sync) "
                + "or correct the name");
    }

    @Test
    void anUnknownLanguage() throws Exception {
        assertProblem(mapping("appointment_reminder", "[en_US, fr]", 3, "[48h]"), "mapping 'm1': template "
                + "'appointment_reminder' has no language 'fr' in mappings/templates.yaml; add that translation or "
                + "remove it from template.languages");
    }

    @Test
    void theWrongNumberOfParameters() throws Exception {
        assertProblem(mapping("appointment_reminder", "[en_US]", 2, "[48h]"), "mapping 'm1': template "
                + "'appointment_reminder' (en_US) takes 3 body parameters, the mapping gives 2; make 'parameters' "
                + "match [1, 2, 3]");
    }

    @Test
    void aTemplateNotApproved() throws Exception {
        Path catalog = dir.resolve("templates.yaml");
        Files.writeString(catalog, Files.readString(CATALOG).replaceFirst("status: APPROVED", "status: PENDING"));
        Path file = mapping("appointment_confirmation", "[en_US]", 3, "immediately");

        assertThatThrownBy(() -> MappingFiles.load(List.of(file), TemplateCatalog.load(catalog), catalog))
                .hasMessageContaining(file + ": mapping 'm1': template 'appointment_confirmation' (en_US) is PENDING, "
                        + "not APPROVED; wait for Meta's approval or use another template");
    }

    @Test
    void anUnknownFieldABadOffsetAndAnUnknownEvent() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                mappings:
                  - id: m2
                    when: { events: [APPOINTMENT_BOKED] }
                    template: { name: appointment_reminder, languages: [en_US] }
                    parameters: ["{patient.nickname}", "{appointment.location}", "{appointment.datetime}"]
                    schedule: { beforeStart: [two days] }
                """);

        Throwable failure = catchThrowable(() -> MappingFiles.load(List.of(file), catalog(), CATALOG));

        assertThat(failure.getMessage()).contains(
                file + ": mapping 'm2': 'APPOINTMENT_BOKED' is not an event kind",
                file + ": mapping 'm2': parameter 1: {patient.nickname} is not a field CareLoop knows",
                file + ": mapping 'm2': 'schedule.beforeStart' two days is not an offset such as 48h, 90m or 2d");
    }

    @Test
    void aBrokenMappingStopsTheEngineFromStarting() throws Exception {
        Path file = mapping("appointment_reminder", "[en_US]", 2, "[48h]");
        Map<String, String> settings = TestEngines.settings(dir.resolve("data"));
        settings.put("careloop.planning.mapping-files", file.toString());

        Throwable failure = catchThrowable(() -> CareLoopEngine.start(settings).close());

        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root.getMessage()).startsWith("The mappings cannot be used:")
                .contains(file + ": mapping 'm1': template 'appointment_reminder' (en_US) takes 3 body parameters");
    }

    private Path mapping(String template, String languages, int parameters, String schedule) throws Exception {
        Path file = dir.resolve("mappings-" + template + parameters + ".yaml");
        String params = String.join(", ", java.util.Collections.nCopies(parameters, "\"{patient.given}\""));
        Files.writeString(file, "mappings:\n  - id: m1\n    when: { events: [APPOINTMENT_BOOKED] }\n"
                + "    template: { name: " + template + ", languages: " + languages + " }\n"
                + "    parameters: [" + params + "]\n"
                + "    schedule: " + (schedule.startsWith("[") ? "{ beforeStart: " + schedule + " }" : schedule) + "\n");
        return file;
    }

    private void assertProblem(Path file, String problem) {
        assertThatThrownBy(() -> MappingFiles.load(List.of(file), catalog(), CATALOG))
                .hasMessageContaining(file + ": " + problem);
    }

    private static TemplateCatalog catalog() {
        return TemplateCatalog.load(CATALOG);
    }
}
