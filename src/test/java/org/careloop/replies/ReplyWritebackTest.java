package org.careloop.replies;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.testing.EngineTest;
import org.careloop.testing.TestFhirServers;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.Siu;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.careloop.whatsapp.simulator.WebhookDelivery;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop closed end to end, with every part real: an SIU^S12 over MLLP, the confirmation template at the WhatsApp
 * simulator, the simulated tap coming back as a signed webhook, and the Appointment written back to a HAPI FHIR
 * server over HTTP, versioned and honouring If-Match. The FHIR server belongs to the test, so it outlives engine
 * restarts and can be stopped while the engine runs.
 */
class ReplyWritebackTest extends EngineTest {

    private static final String PHONE = "+16175550123";
    private static final String WA_ID = "16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";

    private final SandboxFhirServer fhir = TestFhirServers.start();
    private final Siu jane = new Siu("A100", "E100", PHONE, "ENG");
    private final ObjectMapper json = new ObjectMapper();
    private String appointmentId;
    private String patientId;

    @Override
    protected Map<String, String> properties() {
        return TestFhirServers.engineSettings(fhir, "careloop.fhir.writeback.idle-poll-ms", "50",
                // the acknowledgement follows the template to the same patient: Meta's 6 s pair limit, shortened
                "careloop.whatsapp.pair-interval-seconds", "0.5");
    }

    /** The hospital's record of Jane and her appointment, as the EHR would hold them before any reply. */
    @BeforeEach
    void seedTheRecord() {
        TestFhirServers.Seeded seeded = TestFhirServers.seedJanesAppointment(fhir);
        patientId = seeded.patientId();
        appointmentId = seeded.appointmentId();
    }

    @AfterEach
    void stopFhirServer() throws Exception {
        fhir.close();
    }

    @Test
    void aConfirmTapMarksThePatientAcceptedInANewVersionAndAcknowledges() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();

        JsonNode template = json.readTree(confirmation.request()).path("template");
        assertThat(template.path("name").asText()).isEqualTo("appointment_confirmation");
        assertThat(template.path("language").path("code").asText()).isEqualTo("en_US");
        assertThat(template.path("components").path(0).path("parameters").findValuesAsText("text"))
                .containsExactly("Jane", "Mercy Cardiology Clinic", "Tuesday, December 14, 2027, 9:30 AM");
        assertThat(template.path("components").findValuesAsText("payload"))
                .containsExactly("CONFIRM:" + SUBJECT, "CANCEL:" + SUBJECT, "RESCHEDULE:" + SUBJECT);

        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");

        Map<String, Object> job = awaitJob(reply, "DONE");
        Appointment written = fhir.appointments().current(appointmentId);
        assertThat(written.getMeta().getVersionId()).isEqualTo("2");
        assertThat(written.getStatus()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(written.getParticipant().get(0).getStatus()).isEqualTo(ParticipationStatus.ACCEPTED);
        assertThat(written.getParticipant().get(1).getStatus()).isEqualTo(ParticipationStatus.ACCEPTED);
        assertThat(job.get("RESULT")).isEqualTo("Appointment/" + appointmentId
                + "/_history/2 (patient participant accepted)");
        assertThat(awaitTextTo(WA_ID)).isEqualTo("Thank you, your appointment is confirmed.");
    }

    @Test
    void aDuplicatedWebhookWritesOnce() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();
        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");
        awaitJob(reply, "DONE");
        String delivered = simulator().webhookDeliveries().stream().map(WebhookDelivery::body)
                .filter(body -> body.contains(reply)).findFirst().orElseThrow();

        simulator().sendWebhook(delivered); // byte for byte
        simulator().sendWebhook(delivered.replace("{\"object\"", "{ \"object\"")); // same message, other envelope
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator().webhookDeliveries().stream()
                .filter(d -> d.body().contains(reply)).count() == 3
                && count("SELECT COUNT(*) FROM wa_webhook_inbox WHERE state = 'RECEIVED'") == 0
                && count("SELECT COUNT(*) FROM wa_inbound_message WHERE state = 'NEW'") == 0
                && count("SELECT COUNT(*) FROM fhir_writeback WHERE state = 'PENDING'") == 0);

        assertThat(count("SELECT COUNT(*) FROM wa_webhook_inbox")).as("the re-wrapped copy is a new body")
                .isGreaterThanOrEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback")).isEqualTo(1);
        assertThat(fhir.appointments().versionCount(appointmentId)).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM wa_outbound WHERE idempotency_key LIKE 'ack|%'")).isEqualTo(1);
    }

    @Test
    void aCancelTapCancelsTheAppointmentAndEveryPendingReminder() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();
        assertThat(reminders()).extracting(PlannedRow::state).containsExactly("PLANNED", "PLANNED");

        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "CANCEL:" + SUBJECT, "Cancel");

        awaitJob(reply, "DONE");
        Appointment written = fhir.appointments().current(appointmentId);
        assertThat(written.getMeta().getVersionId()).isEqualTo("2");
        assertThat(written.getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
        assertThat(written.getCancelationReason().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason");
        assertThat(written.getCancelationReason().getCodingFirstRep().getCode()).isEqualTo("pat-crs");
        assertThat(written.getParticipant().get(0).getStatus()).isEqualTo(ParticipationStatus.DECLINED);
        assertThat(reminders()).extracting(PlannedRow::state).containsExactly("CANCELLED", "CANCELLED");
        assertThat(reminders()).extracting(PlannedRow::reason).containsOnly("the patient cancelled by WhatsApp");
        assertThat(awaitTextTo(WA_ID)).isEqualTo("Your appointment on Tuesday, December 14, 2027, 9:30 AM has been "
                + "cancelled. We hope to see you another time.");
    }

    @Test
    void aReplyWhileTheFhirServerIsDownLandsWhenItComesBack() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();
        fhir.stop();

        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM fhir_writeback WHERE "
                + "reply_wamid = ? AND state = 'PENDING' AND attempts >= 2", reply) == 1);
        assertThat((String) job(reply).get("LAST_ERROR")).startsWith("the FHIR server did not answer");

        fhir.start();

        awaitJob(reply, "DONE");
        assertThat(fhir.appointments().versionCount(appointmentId)).isEqualTo(2);
        assertThat(fhir.appointments().current(appointmentId).getParticipant().get(0).getStatus())
                .isEqualTo(ParticipationStatus.ACCEPTED);
    }

    @Test
    void aConcurrentEditMakesThePutFailWith409AndTheChangeIsReappliedKeepingTheOtherEdit() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();
        fhir.appointments().beforeNextUpdate(staffEdit -> {
            staffEdit.setComment("Bring your glucose diary");
            return staffEdit;
        });

        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");

        Map<String, Object> job = awaitJob(reply, "DONE");
        assertThat(job.get("ATTEMPTS")).as("re-applied within the attempt").isEqualTo(1);
        Appointment staffVersion = fhir.appointments().read(new IdType("Appointment",
                appointmentId, "2"));
        assertThat(staffVersion.getParticipant().get(0).getStatus()).as("the PUT based on version 1 was refused")
                .isEqualTo(ParticipationStatus.NEEDSACTION);
        Appointment written = fhir.appointments().current(appointmentId);
        assertThat(written.getMeta().getVersionId()).isEqualTo("3");
        assertThat(written.getComment()).isEqualTo("Bring your glucose diary");
        assertThat(written.getParticipant().get(0).getStatus()).isEqualTo(ParticipationStatus.ACCEPTED);
    }

    @Test
    void inPatchModeACancelIsAJsonPatchWithIfMatchAndSurvivesAConcurrentEdit() throws Exception {
        engine.close();
        engine = startEngine(Map.of("careloop.fhir.writeback-mode", "patch"));
        Received confirmation = bookAndAwaitConfirmation();
        fhir.appointments().beforeNextUpdate(staffEdit -> {
            staffEdit.setComment("Wheelchair access needed");
            return staffEdit;
        });

        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "CANCEL:" + SUBJECT, "Cancel");

        awaitJob(reply, "DONE");
        Appointment written = fhir.appointments().current(appointmentId);
        assertThat(written.getMeta().getVersionId()).isEqualTo("3");
        assertThat(written.getComment()).isEqualTo("Wheelchair access needed");
        assertThat(written.getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
        assertThat(written.getCancelationReason().getCodingFirstRep().getCode()).isEqualTo("pat-crs");
        assertThat(written.getParticipant().get(0).getStatus()).isEqualTo(ParticipationStatus.DECLINED);
    }

    @Test
    void aRestartBetweenTheReplyAndTheWritebackLosesNothing() throws Exception {
        engine.close();
        engine = startEngine(Map.of("careloop.replies.enabled", "false"));
        Received confirmation = bookAndAwaitConfirmation();
        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT COUNT(*) FROM wa_inbound_message WHERE wamid = ? AND state = 'NEW'", reply) == 1);
        engine.close();
        assertThat(fhir.appointments().versionCount(appointmentId)).isEqualTo(1);

        engine = startEngine(Map.of());

        awaitJob(reply, "DONE");
        assertThat(fhir.appointments().current(appointmentId).getParticipant().get(0).getStatus())
                .isEqualTo(ParticipationStatus.ACCEPTED);
    }

    @Test
    void aRescheduleRequestAsksStaffToCallThroughATask() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();

        String reply = simulator().reply(WA_ID, confirmation.wamid(), "button", "RESCHEDULE:" + SUBJECT,
                "Reschedule");

        Map<String, Object> job = awaitJob(reply, "DONE");
        assertThat(fhir.appointments().versionCount(appointmentId)).as("the patient already needed to act")
                .isEqualTo(1);
        List<Task> tasks = fhir.tasks().all();
        assertThat(tasks).hasSize(1);
        Task task = tasks.get(0);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getFocus().getReference()).isEqualTo("Appointment/" + appointmentId);
        assertThat(task.getFor().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(task.getIdentifierFirstRep().getValue()).isEqualTo(reply);
        assertThat((String) job.get("RESULT")).endsWith(", Task/" + task.getIdElement().getIdPart());
        JsonNode staff = json.readTree(api("GET", "/api/replies/staff-queue").body());
        assertThat(staff.findValuesAsText("kind")).containsExactly("RESCHEDULE_REQUEST");
        assertThat(staff.path(0).path("subjectKey").asText()).isEqualTo(SUBJECT);
    }

    @Test
    void freeTextGoesToStaffAndToTheRecordAsACommunication() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();

        String reply = simulator().reply(WA_ID, confirmation.wamid(), "text", null, "Can I bring my daughter?");

        awaitJob(reply, "DONE");
        List<Communication> messages = fhir.communications().all();
        assertThat(messages).hasSize(1);
        Communication message = messages.get(0);
        assertThat(message.getPayloadFirstRep().getContentStringType().getValue()).isEqualTo("Can I bring my daughter?");
        assertThat(message.getSubject().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(message.getAboutFirstRep().getReference()).isEqualTo("Appointment/" + appointmentId);
        JsonNode staff = json.readTree(api("GET", "/api/replies/staff-queue").body());
        assertThat(staff.findValuesAsText("kind")).containsExactly("FREE_TEXT");
        assertThat(staff.path(0).path("text").asText()).isEqualTo("Can I bring my daughter?");
        assertThat(awaitTextTo(WA_ID)).isEqualTo("Thank you, we have passed your message to the care team.");
    }

    @Test
    void tapsFromAnotherNumberWithSomeoneElsesContextChangeNothingOfThatPatientAndGoToStaff() throws Exception {
        Received confirmation = bookAndAwaitConfirmation();
        String stranger = "16175559999";

        List<String> replies = List.of(
                simulator().reply(stranger, confirmation.wamid(), "button", "CANCEL:" + SUBJECT, "Cancel"),
                simulator().reply(stranger, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm"),
                simulator().reply(stranger, confirmation.wamid(), "button", "STOP:" + SUBJECT, "Stop"),
                simulator().reply(stranger, null, "button", "CANCEL:" + SUBJECT, "Cancel"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM wa_inbound_message WHERE "
                + "state = 'HANDLED'") == 4);

        assertThat(count("SELECT COUNT(*) FROM fhir_writeback")).isZero();
        assertThat(reminders()).extracting(PlannedRow::state).containsOnly("PLANNED");
        assertThat(fhir.appointments().current(appointmentId).getMeta().getVersionId()).isEqualTo("1");
        JsonNode consent = json.readTree(api("GET", "/api/consent?phone=%2B16175550123").body());
        assertThat(consent.path("consent").findValuesAsText("status")).containsExactly("OPT_IN");
        JsonNode strangers = json.readTree(api("GET", "/api/consent?phone=%2B16175559999").body());
        assertThat(strangers.path("history").findValuesAsText("status")).containsExactly("OPT_OUT");
        JsonNode queue = json.readTree(api("GET", "/api/replies/staff-queue").body());
        assertThat(queue.findValuesAsText("kind")).hasSize(4).containsOnly("MISMATCHED_SENDER");
        assertThat(queue.findValuesAsText("fromPhone")).containsOnly("+1617***9999");
        assertThat(queue.findValuesAsText("text")).containsOnly(
                "the reply answers a message sent to another number (+1617***0123)",
                "the reply names an appointment never messaged to this number");
        assertThat(simulator().received()).noneMatch(r -> stranger.equals(r.to()));
        assertThat(replies).hasSize(4);

        // the patient's own tap still works
        simulator().reply(WA_ID, confirmation.wamid(), "button", "CONFIRM:" + SUBJECT, "Confirm");
        assertThat(awaitTextTo(WA_ID)).isEqualTo("Thank you, your appointment is confirmed.");
    }

    @Test
    void aTapWithoutContextOrSubjectIsNeverGuessedBetweenTwoAppointments() throws Exception {
        bookAndAwaitConfirmation();
        deliver(new Siu("A101", "E100", PHONE, "ENG").booked("c2", "202712150930"));
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmationsTo(WA_ID) == 2);

        String reply = simulator().reply(WA_ID, null, "button", "CONFIRM", "Confirm");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT COUNT(*) FROM wa_inbound_message WHERE wamid = ? AND state = 'HANDLED'", reply) == 1);
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback")).isZero();
        JsonNode staff = json.readTree(api("GET", "/api/replies/staff-queue").body());
        assertThat(staff.findValuesAsText("kind")).containsExactly("AMBIGUOUS_REPLY");
        assertThat(fhir.appointments().versionCount(appointmentId)).isEqualTo(1);
    }

    @Test
    void aRefusalKeepsTheOperationOutcomeAndAnOperatorCanRetry() throws Exception {
        // a message about FHIR Appointment 9999 went to this number (the server no longer has it)
        engine.bean("careloopWriter", GroupCommitWriter.class).submit(c -> Writes.update(c,
                "INSERT INTO wa_outbound (idempotency_key, recipient, message_type, request_json, due_at, state, "
                + "next_attempt_at, created_at, updated_at, subject_key) VALUES ('earlier', ?, 'template', '{}', "
                + "CURRENT_TIMESTAMP, 'SENT', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?)", PHONE,
                "appointment:FHIR|9999")).get();
        String reply = simulator().reply(WA_ID, null, "button", "CONFIRM:appointment:FHIR|9999", "Confirm");

        Map<String, Object> job = awaitJob(reply, "FAILED");
        assertThat((String) job.get("LAST_ERROR")).startsWith("HTTP 404");
        JsonNode failed = json.readTree(api("GET", "/api/fhir/writeback?state=FAILED").body());
        assertThat(failed.path(0).path("action").asText()).isEqualTo("CONFIRM");
        JsonNode outcome = json.readTree(failed.path(0).path("operationOutcome").asText());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.path("issue").path(0).path("diagnostics").asText()).contains("Appointment/9999");

        long id = failed.path(0).path("id").asLong();
        assertStatus(api("POST", "/api/fhir/writeback/" + id + "/retry"), 200);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT COUNT(*) FROM fhir_writeback WHERE id = ? AND state = 'FAILED' AND attempts = 2", id) == 1);
        assertStatus(api("POST", "/api/fhir/writeback/" + id + "/cancel"), 200);
        assertStatus(api("POST", "/api/fhir/writeback/" + id + "/cancel"), 409);
    }

    /** Opts Jane in, books her appointment over MLLP, and waits for the confirmation to be accepted by WhatsApp. */
    private Received bookAndAwaitConfirmation() throws Exception {
        optIn("EPI|E100", PHONE);
        deliver(jane.booked("c1", "202712140930"));
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmationsTo(WA_ID) == 1);
        return simulator().received().stream().filter(r -> "appointment_confirmation".equals(r.template()))
                .findFirst().orElseThrow();
    }

    private long confirmationsTo(String waId) {
        return simulator().received().stream().filter(r -> waId.equals(r.to()) && r.httpStatus() == 200
                && "appointment_confirmation".equals(r.template())).count();
    }

    private String awaitTextTo(String waId) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator().received().stream()
                .anyMatch(r -> waId.equals(r.to()) && r.template() == null && r.httpStatus() == 200));
        Received text = simulator().received().stream().filter(r -> waId.equals(r.to()) && r.template() == null)
                .findFirst().orElseThrow();
        return json.readTree(text.request()).path("text").path("body").asText();
    }

    private Map<String, Object> awaitJob(String replyWamid, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                count("SELECT COUNT(*) FROM fhir_writeback WHERE reply_wamid = ? AND state = ?", replyWamid, state) == 1);
        return job(replyWamid);
    }

    private Map<String, Object> job(String replyWamid) {
        try {
            return Reads.first(store(), "SELECT state, attempts, result, last_error FROM fhir_writeback "
                    + "WHERE reply_wamid = ?", row -> Map.<String, Object>of("STATE", row.getString(1), "ATTEMPTS",
                    row.getInt(2), "RESULT", String.valueOf(row.getString(3)), "LAST_ERROR",
                    String.valueOf(row.getString(4))), replyWamid).orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<PlannedRow> reminders() throws Exception {
        return planned(SUBJECT).stream().filter(r -> r.key().startsWith("appointment-reminder")).toList();
    }

    private CloudApiSimulator simulator() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }
}
