package org.careloop.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.careloop.testing.HttpAssertions.assertStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.testing.PatientInbox;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.SendingEngineTest;
import org.careloop.testing.TestFhirServers;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results ready from a FHIR server: each DiagnosticReport version the hospital's server writes is delivered to the
 * engine's {@code results} subscription (rest-hook with payload), and planned by the same rules as an ORU: a
 * preliminary report waits, the final one is announced once for its encounter when the batch window ends, an
 * amendment after that sends nothing, a sensitive category is never announced.
 */
class ResultsFromFhirTest extends SendingEngineTest {

    private static final String PHONE = "+16175550123";

    private final SandboxFhirServer fhir = TestFhirServers.start();
    private String patientId;

    @Override
    protected Map<String, String> properties() {
        Map<String, String> settings = new HashMap<>(super.properties());
        settings.putAll(TestFhirServers.engineSettings(fhir,
                "careloop.fhir.subscriptions-file", "src/test/resources/mappings/fhir-subscriptions.yaml",
                "careloop.fhir.subscriptions.reconcile-every", "1h"));
        return settings;
    }

    @BeforeEach
    void seedTheRecord() throws Exception {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("urn:careloop:patient:EPI").setValue("E200"));
        patient.addName().setFamily("García").addGiven("Ana");
        patient.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
                .setUse(org.hl7.fhir.r4.model.ContactPoint.ContactPointUse.MOBILE).setValue("(617) 555-0123");
        patient.addCommunication().setPreferred(true).getLanguage().addCoding().setCode("es");
        patient.getBirthDateElement().setValueAsString("1975-11");
        patientId = fhir.patients().create(patient, null).getId().getIdPart();
        fhir.subscribe(DiagnosticReport.class, "http://127.0.0.1:" + httpPort + "/fhir/subscriptions/results",
                Map.of("Authorization", "Bearer test-results-secret"));
        optIn("EPI|E200", PHONE);
    }

    @AfterEach
    void stopFhirServer() throws Exception {
        fhir.close();
    }

    @Test
    void aFinalReportIsAnnouncedOnceForItsEncounterAndItsAmendmentSendsNothing() throws Exception {
        String id = report("58410-2", "HM", DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        String subject = "results:visit:FHIR|enc-1";
        awaitDecisions("FHIR|" + id + " WAITING");
        assertThat(planned(subject)).isEmpty();

        update(id, DiagnosticReport.DiagnosticReportStatus.FINAL);
        awaitDecisions("FHIR|" + id + " ANNOUNCED");
        String second = report("24331-1", "CH", DiagnosticReport.DiagnosticReportStatus.FINAL);
        awaitDecisions("FHIR|" + id + " ANNOUNCED", "FHIR|" + second + " BATCHED");
        assertThat(planned(subject)).extracting(PlannedRow::due).containsExactly(THURSDAY_MORNING.plus(
                Duration.ofHours(2)));

        clock.advance(Duration.ofHours(2).plusSeconds(1));
        inbox().awaitAccepted(1);
        update(id, DiagnosticReport.DiagnosticReportStatus.AMENDED);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM result_report WHERE "
                + "status = 'C'") == 1);

        List<Received> received = inbox().accepted();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).template()).isEqualTo("results_ready");
        assertThat(received.get(0).language()).isEqualTo("es");
        assertThat(PatientInbox.parameters(received.get(0))).containsExactly("Ana", "Mercy Hospital");
        assertThat(planned(subject)).singleElement().extracting(PlannedRow::state).isIn("SENT", "DELIVERED", "READ");
    }

    @Test
    void aSensitiveCategoryIsNeverAnnounced() throws Exception {
        String id = report("48676-1", "CG", DiagnosticReport.DiagnosticReportStatus.FINAL);

        awaitDecisions("FHIR|" + id + " NEVER");
        assertThat(planned("results:visit:FHIR|enc-1")).singleElement().satisfies(row -> {
            assertThat(row.state()).isEqualTo("SUPPRESSED");
            assertThat(row.reason()).isEqualTo("sensitive result (site rule 'genetics'): never announced");
        });
    }

    @Test
    void theShippedSamplePutAsHapiSendsItIsStoredAndAnnouncedForItsEncounter() throws Exception {
        String sample = Files.readString(Path.of("samples", "fhir", "diagnostic-report-final.json"))
                .replace("Patient/example-jane", "Patient/" + patientId);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + httpPort + "/fhir/subscriptions/results/DiagnosticReport/lab-9920"))
                .header("Authorization", "Bearer test-results-secret")
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(sample)).build(), HttpResponse.BodyHandlers.ofString());

        assertStatus(response, 200);
        awaitDecisions("FHIR|lab-9920 ANNOUNCED");
        assertThat(planned("results:visit:FHIR|v900200")).singleElement().satisfies(row -> {
            assertThat(row.state()).isEqualTo("PLANNED");
            assertThat(row.language()).isEqualTo("es");
            assertThat(row.parameters()).containsExactly("Ana", "Mercy Hospital");
        });
    }

    /** A report about Ana in encounter enc-1, created on the server (which notifies the engine). */
    private String report(String loinc, String section, DiagnosticReport.DiagnosticReportStatus status) {
        DiagnosticReport report = new DiagnosticReport().setStatus(status)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, "a test")))
                .setSubject(new Reference("Patient/" + patientId)).setEncounter(new Reference("Encounter/enc-1"));
        report.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", section,
                null)));
        return fhir.diagnosticReports().create(report, null).getId().getIdPart();
    }

    private void update(String id, DiagnosticReport.DiagnosticReportStatus status) {
        DiagnosticReport report = fhir.diagnosticReports().current(id).copy();
        report.setStatus(status);
        fhir.diagnosticReports().update(report.getIdElement().toUnqualifiedVersionless(), report);
    }

    private void awaitDecisions(String... expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> org.careloop.store.Reads.list(store(),
                "SELECT order_key, decision FROM result_report ORDER BY order_key",
                row -> row.getString(1) + " " + row.getString(2)).equals(List.of(expected)));
    }
}
