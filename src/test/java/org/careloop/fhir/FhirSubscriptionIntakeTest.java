package org.careloop.fhir;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.store.Reads;
import org.careloop.testing.EngineTest;
import org.careloop.testing.TestFhirServers;
import org.careloop.testing.LogCapture;
import org.careloop.testing.Notifications;
import org.careloop.testing.Notifications.Event;
import org.careloop.testing.PlannedRow;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FHIR subscription deliveries in the shapes servers send them, against the running engine and a HAPI FHIR server
 * over HTTP: rest-hook PUTs exactly as HAPI FHIR JPA sends them, empty POSTs, R4 Backport and R5 notification
 * Bundles; the secret, malformed input, duplicates, an event-number gap, the periodic reconciliation, and an
 * appointment's life planning, moving and cancelling its reminders. Sending is off, so planned rows can be read.
 */
class FhirSubscriptionIntakeTest extends EngineTest {

    private static final String TOKEN = "Bearer test-subscription-secret";
    private static final String PHONE = "+16175550123";

    private final SandboxFhirServer fhir = TestFhirServers.start();
    private final FhirContext context = FhirContext.forR4Cached();
    private final ObjectMapper json = new ObjectMapper();
    private final Instant start = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    private String patientId;
    private String practitionerId;
    private String locationId;

    @Override
    protected Map<String, String> properties() {
        return TestFhirServers.engineSettings(fhir,
                "careloop.fhir.subscriptions-file", "src/test/resources/mappings/fhir-subscriptions.yaml",
                "careloop.fhir.subscriptions.max-bytes", "100000", "careloop.whatsapp.dispatch.enabled", "false",
                "careloop.fhir.subscriptions.reconcile-every", "1h");
    }

    /** Ana, Spanish-speaking, with a mobile; her clinician and the clinic, as the hospital's FHIR server has them. */
    @BeforeEach
    void seedTheRecord() throws Exception {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("urn:careloop:patient:EPI").setValue("E200"));
        patient.addName().setFamily("García").addGiven("Ana");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.HOME)
                .setValue("617-555-0100");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(ContactPoint.ContactPointUse.MOBILE).setValue("(617) 555-0123");
        patient.addCommunication().setPreferred(true).getLanguage().addCoding().setCode("es");
        patientId = fhir.patients().create(patient, null).getId().getIdPart();
        Practitioner practitioner = new Practitioner();
        practitioner.addName().setFamily("Smith").addGiven("John").addPrefix("Dr");
        practitionerId = fhir.practitioners().create(practitioner, null).getId().getIdPart();
        locationId = fhir.locations().create(new Location().setName("Mercy Cardiology Clinic"), null).getId()
                .getIdPart();
        optIn("EPI|E200", PHONE);
    }

    @AfterEach
    void stopFhirServer() throws Exception {
        fhir.close();
    }

    @Test
    void aRestHookPutAsHapiSendsItBecomesABookingThatPlansMessagesInThePatientsLanguage() throws Exception {
        Appointment appointment = book(start);

        HttpResponse<String> response = putAsHapiDoes("appointments", appointment, TOKEN);

        assertStatus(response, 200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        assertThat(json.readTree(response.body()).path("issue").path(0).path("diagnostics").asText())
                .isEqualTo("stored");
        String subject = "appointment:FHIR|" + appointment.getIdElement().getIdPart();
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).size() == 3);
        JsonNode event = event(appointment);
        assertThat(event.path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
        assertThat(event.path("source").path("channel").asText()).isEqualTo("fhir");
        assertThat(event.path("patient").path("ids").path(0).path("authority").asText()).isEqualTo("EPI");
        assertThat(event.path("patient").path("phone").path("e164").asText()).isEqualTo(PHONE);
        assertThat(event.path("patient").path("language").asText()).isEqualTo("es");
        assertThat(event.path("appointment").path("provider").path("family").asText()).isEqualTo("Smith");
        PlannedRow confirmation = planned(subject).stream().filter(r -> r.key().startsWith("booking-confirmation"))
                .findFirst().orElseThrow();
        assertThat(confirmation.language()).isEqualTo("es");
        assertThat(confirmation.recipient()).isEqualTo(PHONE);
        assertThat(confirmation.parameters().subList(0, 2)).containsExactly("Ana", "Mercy Cardiology Clinic");
    }

    @Test
    void aMissingOrWrongSecretIs401AndNothingIsStored() throws Exception {
        Appointment appointment = book(start);

        assertStatus(putAsHapiDoes("appointments", appointment, null), 401);
        assertStatus(putAsHapiDoes("appointments", appointment, "Bearer wrong"), 401);
        assertStatus(putAsHapiDoes("unconfigured", appointment, "Bearer "), 401);
        HttpResponse<String> refused = post("topic", Notifications.r5("handshake", 0, List.of(), List.of()),
                Map.of("X-CareLoop-Secret", "not-it"));
        assertStatus(refused, 401);
        assertThat(json.readTree(refused.body()).path("issue").path(0).path("code").asText()).isEqualTo("security");
        assertThat(count("SELECT COUNT(*) FROM fhir_delivery")).isZero();

        assertStatus(post("topic", Notifications.r5("handshake", 0, List.of(), List.of()),
                Map.of("X-CareLoop-Secret", "topic-secret")), 200);
        assertThat(count("SELECT COUNT(*) FROM fhir_delivery")).isEqualTo(1);
    }

    @Test
    void malformedDeliveriesGetA4xxWithAnOperationOutcome() throws Exception {
        String wrongFirstEntry = "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Patient\",\"id\":\"1\"}}]}";

        HttpResponse<String> badBundle = post("appointments", wrongFirstEntry, Map.of("Authorization", TOKEN));
        assertStatus(badBundle, 400);
        JsonNode outcome = json.readTree(badBundle.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.path("issue").path(0).path("severity").asText()).isEqualTo("error");
        assertThat(outcome.path("issue").path(0).path("diagnostics").asText()).contains("first entry");
        assertStatus(post("appointments", "{not json", Map.of("Authorization", TOKEN)), 400);
        assertStatus(post("appointments", "x".repeat(100_001), Map.of("Authorization", TOKEN)), 413);
        assertStatus(send("PUT", "/fhir/subscriptions/appointments/Appointment/1", "<Appointment/>",
                Map.of("Authorization", TOKEN, "Content-Type", "application/fhir+xml")), 415);
        assertStatus(send("PUT", "/fhir/subscriptions/appointments/Appointment/1", "{\"resourceType\":\"Patient\"}",
                Map.of("Authorization", TOKEN, "Content-Type", "application/fhir+json")), 400);
        assertStatus(post("nowhere", "", Map.of("Authorization", TOKEN)), 404);
        assertThat(count("SELECT COUNT(*) FROM fhir_delivery")).isZero();
    }

    @Test
    void aDeliveryThatCannotBeUnderstoodIsFailedWithItsReasonAndCanBeRetried() throws Exception {
        post("topic", Notifications.r5("status-report", 1, List.of(), List.of()),
                Map.of("X-CareLoop-Secret", "topic-secret"));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM fhir_delivery WHERE state = "
                + "'FAILED'") == 1);
        JsonNode failed = json.readTree(api("GET", "/api/fhir/deliveries?state=FAILED").body());
        assertThat(failed.path(0).path("subscription").asText()).isEqualTo("topic");
        assertThat(failed.path(0).path("kind").asText()).isEqualTo("BUNDLE");
        assertThat(failed.path(0).path("stateReason").asText()).isEqualTo("unknown notification type 'status-report'");
        long id = failed.path(0).path("id").asLong();
        assertStatus(api("POST", "/api/fhir/deliveries/" + id + "/retry"), 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM fhir_delivery WHERE id = ? "
                + "AND state = 'FAILED' AND attempts = 2", id) == 1);
        assertStatus(api("POST", "/api/fhir/deliveries/999/retry"), 409);
    }

    @Test
    void aDuplicatedDeliveryMakesOneEvent() throws Exception {
        Appointment appointment = book(start);

        assertStatus(putAsHapiDoes("appointments", appointment, TOKEN), 200);
        HttpResponse<String> again = putAsHapiDoes("appointments", appointment, TOKEN);
        String full = context.newJsonParser().encodeResourceToString(appointment);
        String reference = "Appointment/" + appointment.getIdElement().getIdPart();
        post("appointments", Notifications.backport("event-notification", 1, List.of(new Event(1, reference)),
                List.of(full)), Map.of("Authorization", TOKEN));

        assertThat(json.readTree(again.body()).path("issue").path(0).path("diagnostics").asText())
                .isEqualTo("already stored");
        awaitAllProcessed();
        assertThat(count("SELECT COUNT(*) FROM fhir_delivery")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM care_event WHERE appointment_key = ?", "FHIR|"
                + appointment.getIdElement().getIdPart())).isEqualTo(1);
    }

    @Test
    void anEmptyRestHookPostSearchesForWhatChanged() throws Exception {
        Appointment appointment = book(start);

        HttpResponse<String> response = send("POST", "/fhir/subscriptions/appointments", "",
                Map.of("Authorization", TOKEN, "Content-Type", "application/x-www-form-urlencoded"));

        assertStatus(response, 200);
        awaitAllProcessed();
        assertThat(event(appointment).path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
    }

    @Test
    void notificationBundlesFromR4BackportAndR5AreReadWhateverTheirContent() throws Exception {
        Appointment idOnly = book(start);
        Appointment fullResource = book(start.plus(1, ChronoUnit.DAYS));
        String reference = "https://fhir.example.org/fhir/Appointment/" + idOnly.getIdElement().getIdPart();

        post("topic", Notifications.r5("handshake", 0, List.of(), List.of()), Map.of("X-CareLoop-Secret",
                "topic-secret"));
        post("topic", Notifications.backport("event-notification", 1, List.of(new Event(1, reference)), List.of()),
                Map.of("X-CareLoop-Secret", "topic-secret"));
        post("topic", Notifications.r5("event-notification", 2, List.of(new Event(2, "Appointment/"
                + fullResource.getIdElement().getIdPart())), List.of(context.newJsonParser()
                .encodeResourceToString(fullResource))), Map.of("X-CareLoop-Secret", "topic-secret"));
        post("topic", Notifications.backport("heartbeat", 2, List.of(), List.of()),
                Map.of("X-CareLoop-Secret", "topic-secret"));

        awaitAllProcessed();
        assertThat(event(idOnly).path("kind").asText()).as("id-only: read from the server")
                .isEqualTo("APPOINTMENT_BOOKED");
        assertThat(event(fullResource).path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
        assertThat(count("SELECT COUNT(*) FROM fhir_subscription_state WHERE subscription = 'topic' AND "
                + "last_event_number = 2 AND last_heartbeat_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void aResentEventNumberIsNotAppliedAgain() throws Exception {
        Appointment appointment = book(start);
        String notification = Notifications.backport("event-notification", 1, List.of(new Event(1, "Appointment/"
                + appointment.getIdElement().getIdPart())), List.of());
        post("topic", notification, Map.of("X-CareLoop-Secret", "topic-secret"));
        awaitAllProcessed();
        update(appointment, a -> a.setComment("changed after event 1"));

        // the same event 1, in a new Bundle (a new id, so not the same bytes): id-only, it would read version 2
        post("topic", Notifications.backport("event-notification", 1, List.of(new Event(1, "Appointment/"
                + appointment.getIdElement().getIdPart())), List.of()), Map.of("X-CareLoop-Secret", "topic-secret"));

        awaitAllProcessed();
        assertThat(count("SELECT COUNT(*) FROM fhir_delivery WHERE state = 'PROCESSED'")).isEqualTo(2);
        assertThat(kinds(appointment)).containsExactly("APPOINTMENT_BOOKED");
    }

    @Test
    void aPatientsNewLanguageRewritesTheirPendingMessages() throws Exception {
        Appointment appointment = book(start);
        assertStatus(putAsHapiDoes("appointments", appointment, TOKEN), 200);
        String subject = "appointment:FHIR|" + appointment.getIdElement().getIdPart();
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).size() == 3);
        assertThat(planned(subject)).extracting(PlannedRow::language).containsOnly("es");

        Patient english = fhir.patients().current(patientId).copy();
        english.getCommunicationFirstRep().getLanguage().getCodingFirstRep().setCode("en");
        fhir.patients().update(english.getIdElement(), english);
        assertStatus(send("PUT", "/fhir/subscriptions/appointments/Patient/" + patientId, context.newJsonParser()
                .encodeResourceToString(fhir.patients().current(patientId)), Map.of("Authorization", TOKEN,
                "Content-Type", "application/fhir+json")), 200);

        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).stream()
                .allMatch(r -> r.language().equals("en_US")));
        assertThat(planned(subject)).extracting(r -> r.parameters().get(0)).containsOnly("Ana");
    }

    @Test
    void aPatientWhoseRecordSaysTheyDiedIsSentNothingMore() throws Exception {
        Appointment appointment = book(start);
        assertStatus(putAsHapiDoes("appointments", appointment, TOKEN), 200);
        String subject = "appointment:FHIR|" + appointment.getIdElement().getIdPart();
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).size() == 3);

        Patient died = fhir.patients().current(patientId).copy();
        died.setDeceased(new org.hl7.fhir.r4.model.DateTimeType("2026-12-01T08:00:00Z"));
        fhir.patients().update(died.getIdElement(), died);
        assertStatus(send("PUT", "/fhir/subscriptions/appointments/Patient/" + patientId, context.newJsonParser()
                .encodeResourceToString(fhir.patients().current(patientId)), Map.of("Authorization", TOKEN,
                "Content-Type", "application/fhir+json")), 200);

        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).stream()
                .allMatch(r -> r.state().equals("CANCELLED")));
        assertThat(planned(subject)).extracting(PlannedRow::reason)
                .containsOnly("the record says the patient has died (Patient from FHIR)");
    }

    @Test
    void noPatientDataFromFhirReachesTheLogs() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Appointment appointment = book(start);
            putAsHapiDoes("appointments", appointment, TOKEN);
            putAsHapiDoes("appointments", appointment, "Bearer wrong");
            send("PUT", "/fhir/subscriptions/appointments/Patient/" + patientId, "{\"resourceType\":\"Patient\","
                    + "\"id\":\"" + patientId + "\",\"name\":[{\"family\":\"García\"}],\"telecom\":[{\"system\""
                    + ":\"phone\",\"value\":\"not a number 5550123\"}],\"birthDate\":\"García\"}",
                    Map.of("Authorization", TOKEN, "Content-Type", "application/fhir+json"));
            post("appointments", "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":"
                    + "\"Patient\",\"name\":[{\"family\":\"García\"}]}}]}", Map.of("Authorization", TOKEN));
            awaitAllProcessed();

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> List.of("García", "Ana", "5550123", "E200")
                    .stream().anyMatch(line::contains));
        }
    }

    @Test
    void aDeliveryWaitsInLineWhileTheServerIsDownAndIsAppliedWhenItAnswers() throws Exception {
        Appointment idOnly = book(start);
        Appointment carried = book(start.plus(1, ChronoUnit.DAYS));
        fhir.stop();

        // id-only: the appointment has to be read from the server, which refuses connections
        post("topic", Notifications.backport("event-notification", 1, List.of(new Event(1, "Appointment/"
                + idOnly.getIdElement().getIdPart())), List.of()), Map.of("X-CareLoop-Secret", "topic-secret"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM fhir_delivery WHERE "
                + "state = 'NEW' AND attempts >= 1 AND state_reason LIKE 'the FHIR server did not answer%'") == 1);
        assertThat(count("SELECT COUNT(*) FROM work_queue WHERE queue = 'fhir-deliveries' AND state = 'READY'"))
                .as("in line again, for its retry").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM care_event")).isZero();

        // the server is back: the waiting delivery is applied at its retry, and the next one as it comes
        fhir.start();
        assertStatus(putAsHapiDoes("appointments", carried, TOKEN), 200);
        awaitAllProcessed();
        assertThat(event(idOnly).path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
        assertThat(event(carried).path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
        assertThat(count("SELECT COUNT(*) FROM fhir_delivery WHERE state = 'PROCESSED'")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM work_queue WHERE queue = 'fhir-deliveries'")).isZero();
    }

    @Test
    void aGapInEventNumbersIsCaughtUpBySearch() throws Exception {
        Appointment first = book(start);
        Appointment missed = book(start.plus(1, ChronoUnit.DAYS));
        Appointment third = book(start.plus(2, ChronoUnit.DAYS));

        post("topic", Notifications.r5("event-notification", 1, List.of(new Event(1, "Appointment/"
                + first.getIdElement().getIdPart())), List.of()), Map.of("X-CareLoop-Secret", "topic-secret"));
        awaitAllProcessed();
        post("topic", Notifications.r5("event-notification", 3, List.of(new Event(3, "Appointment/"
                + third.getIdElement().getIdPart())), List.of()), Map.of("X-CareLoop-Secret", "topic-secret"));

        awaitAllProcessed();
        assertThat(event(missed).path("kind").asText()).as("event 2 never came: found by the search")
                .isEqualTo("APPOINTMENT_BOOKED");
        assertThat(event(third).path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
        assertThat(count("SELECT COUNT(*) FROM care_event")).isEqualTo(3);
    }

    @Test
    void bookedThenRescheduledThenCancelledPlansMovesAndCancelsTheReminders() throws Exception {
        Appointment appointment = book(start);
        String subject = "appointment:FHIR|" + appointment.getIdElement().getIdPart();
        putAsHapiDoes("appointments", appointment, TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).size() == 3);
        Instant reminder = reminder48h(subject).due();

        Appointment moved = update(appointment, a -> a.setStart(Date.from(start.plus(2, ChronoUnit.DAYS)))
                .setEnd(Date.from(start.plus(2, ChronoUnit.DAYS).plus(30, ChronoUnit.MINUTES))));
        putAsHapiDoes("appointments", moved, TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> !reminder48h(subject).due().equals(reminder));
        assertThat(reminder48h(subject).due()).isEqualTo(reminder.plus(2, ChronoUnit.DAYS));
        assertThat(planned(subject)).extracting(PlannedRow::key).anyMatch(k -> k.startsWith("reschedule-notice"));
        Instant again = start.plus(3, ChronoUnit.DAYS);
        moved = update(moved, a -> a.setStart(Date.from(again)).setEnd(Date.from(again.plus(30, ChronoUnit.MINUTES))));
        putAsHapiDoes("appointments", moved, TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(subject).stream()
                .filter(r -> r.key().startsWith("reschedule-notice")).count() == 2);
        assertThat(planned(subject)).filteredOn(r -> r.key().startsWith("reschedule-notice"))
                .extracting(r -> r.key().substring(r.key().lastIndexOf('|') + 1) + " " + r.state())
                .containsExactlyInAnyOrder("moved-" + start.plus(2, ChronoUnit.DAYS) + " CANCELLED",
                        "moved-" + again + " PLANNED");

        Appointment cancelled = update(moved, a -> a.setStatus(AppointmentStatus.CANCELLED));
        putAsHapiDoes("appointments", cancelled, TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> reminder48h(subject).state().equals("CANCELLED"));

        assertThat(kinds(appointment)).containsExactly("APPOINTMENT_BOOKED", "APPOINTMENT_RESCHEDULED",
                "APPOINTMENT_RESCHEDULED", "APPOINTMENT_CANCELLED");
        assertThat(planned(subject).stream().filter(r -> r.key().startsWith("appointment-reminder")))
                .extracting(PlannedRow::state).containsOnly("CANCELLED");
    }

    @Test
    void theReconciliationFindsAChangeTheServerNeverDelivered() throws Exception {
        engine.close();
        engine = startEngine(Map.of("careloop.fhir.subscriptions.reconcile-every", "300ms"));

        Appointment appointment = book(start); // the server's notification was lost: nothing is sent to CareLoop

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM care_event WHERE "
                + "appointment_key = ?", "FHIR|" + appointment.getIdElement().getIdPart()) == 1);
        assertThat(event(appointment).path("kind").asText()).isEqualTo("APPOINTMENT_BOOKED");
    }

    /** A booked appointment for Ana with Dr Smith at the clinic, created on the FHIR server (version 1). */
    @Test
    void aDeliveryWhoseEventTheStoreRefusesFailsAloneAndTheNextOneIsApplied() throws Exception {
        Patient unfit = new Patient();
        unfit.addIdentifier(new Identifier().setSystem("urn:careloop:patient:EPI").setValue("E".repeat(700)));
        unfit.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(ContactPoint.ContactPointUse.MOBILE).setValue("(617) 555-0124");
        String unfitId = fhir.patients().create(unfit, null).getId().getIdPart();
        Appointment poison = book(start);
        poison = update(poison, a -> {
            a.getParticipantFirstRep().setActor(new Reference("Patient/" + unfitId));
            return a;
        });
        Appointment next = book(start.plus(1, ChronoUnit.DAYS));

        assertStatus(putAsHapiDoes("appointments", poison, TOKEN), 200);
        assertStatus(putAsHapiDoes("appointments", next, TOKEN), 200);

        await().atMost(Duration.ofSeconds(10)).until(() -> planned("appointment:FHIR|"
                + next.getIdElement().getIdPart()).size() == 3);
        assertThat(Reads.list(store(), "SELECT state, state_reason FROM fhir_delivery WHERE resource_id = ?",
                row -> row.getString(1) + ": " + row.getString(2), poison.getIdElement().getIdPart()))
                .containsExactly("FAILED: could not be stored: SQL error (SQLState 22001)");
        JsonNode failed = json.readTree(api("GET", "/api/fhir/deliveries?state=FAILED").body());
        assertThat(failed.findValuesAsText("stateReason")).containsExactly(
                "could not be stored: SQL error (SQLState 22001)");
    }

    private Appointment book(Instant at) {
        Appointment appointment = new Appointment().setStatus(AppointmentStatus.BOOKED).setStart(Date.from(at))
                .setEnd(Date.from(at.plus(30, ChronoUnit.MINUTES)));
        appointment.addParticipant().setActor(new Reference("Patient/" + patientId))
                .setStatus(ParticipationStatus.NEEDSACTION);
        appointment.addParticipant().setActor(new Reference("Practitioner/" + practitionerId))
                .setStatus(ParticipationStatus.ACCEPTED);
        appointment.addParticipant().setActor(new Reference("Location/" + locationId))
                .setStatus(ParticipationStatus.ACCEPTED);
        String id = fhir.appointments().create(appointment, null).getId().getIdPart();
        return fhir.appointments().current(id);
    }

    private Appointment update(Appointment current, java.util.function.UnaryOperator<Appointment> change) {
        String id = current.getIdElement().getIdPart();
        fhir.appointments().update(current.getIdElement(), change.apply(current.copy()));
        return fhir.appointments().current(id);
    }

    /** Exactly what HAPI FHIR JPA's rest-hook sends: PUT {endpoint}/Appointment/{id}, If-Match, the bare resource. */
    private HttpResponse<String> putAsHapiDoes(String subscription, Appointment appointment, String authorization)
            throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type",
                "application/fhir+json; charset=UTF-8", "If-Match", "W/\"" + appointment.getMeta().getVersionId()
                + "\""));
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return send("PUT", "/fhir/subscriptions/" + subscription + "/Appointment/"
                + appointment.getIdElement().getIdPart(), context.newJsonParser().encodeResourceToString(appointment),
                headers);
    }

    private HttpResponse<String> post(String subscription, String body, Map<String, String> headers)
            throws Exception {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/fhir+json");
        return send("POST", "/fhir/subscriptions/" + subscription, body, all);
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitAllProcessed() {
        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT COUNT(*) FROM fhir_delivery WHERE state = "
                + "'NEW'") == 0 && count("SELECT COUNT(*) FROM care_event WHERE plan_state = 'NEW'") == 0);
    }

    private JsonNode event(Appointment appointment) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM care_event WHERE "
                + "appointment_key = ?", "FHIR|" + appointment.getIdElement().getIdPart()) > 0);
        return json.readTree(Reads.first(store(), "SELECT payload FROM care_event WHERE appointment_key = ? "
                + "ORDER BY id", row -> row.getString(1), "FHIR|" + appointment.getIdElement().getIdPart())
                .orElseThrow());
    }

    private List<String> kinds(Appointment appointment) throws Exception {
        return Reads.list(store(), "SELECT kind FROM care_event WHERE appointment_key = ? ORDER BY id",
                row -> row.getString(1), "FHIR|" + appointment.getIdElement().getIdPart());
    }


    private PlannedRow reminder48h(String subject) throws Exception {
        return planned(subject).stream().filter(r -> r.key().endsWith("|start-48h")).findFirst().orElseThrow();
    }
}
