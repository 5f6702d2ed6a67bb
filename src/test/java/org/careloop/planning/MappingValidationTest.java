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
