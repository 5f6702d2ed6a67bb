package org.careloop.demo;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.careloop.app.CareLoopEngine;
import org.careloop.consent.ConsentStatus;
import org.careloop.consent.ConsentStore;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.store.Database;
import org.careloop.store.Reads;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The loop in one command, on the sandbox: a sample SIU^S12 goes in over MLLP, the confirmation template reaches the
 * WhatsApp simulator, the simulated patient taps a button, and the Appointment on the sandbox FHIR server changes.
 * Runs its own engine on free ports and a temporary store, so it works next to a running engine.
 *
 * <pre>mvn -q compile exec:java@demo [-Ddemo.tap=confirm|cancel|reschedule]</pre>
 */
public final class ReplyDemo {

    private static final Path SAMPLE = Path.of("samples/hl7/epic-siu-s12-v23.hl7");
    private static final String SAMPLE_DAY = "20261214";
    private static final String SUBJECT = "appointment:EPIC|36996";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplyDemo() {
    }

    public static void main(String[] args) throws Exception {
        String tap = System.getProperty("demo.tap", args.length > 0 ? args[0] : "confirm").toUpperCase(Locale.ROOT);
        if (!Stream.of("CONFIRM", "CANCEL", "RESCHEDULE").toList().contains(tap)) {
            throw new IllegalArgumentException("demo.tap must be confirm, cancel or reschedule, not " + tap);
        }
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.WARN); // the engine's log would bury the story
        Path data = Files.createTempDirectory("careloop-demo");
        try (CareLoopEngine engine = CareLoopEngine.start(settings(data))) {
            play(engine, tap);
        } finally {
            deleteQuietly(data);
        }
        System.exit(0);
    }

    private static void play(CareLoopEngine engine, String tap) throws Exception {
        SandboxFhirServer fhir = engine.bean("sandboxFhirServer", SandboxFhirServer.class);
        CloudApiSimulator whatsapp = engine.bean("cloudApiSimulator", CloudApiSimulator.class);
        String appointmentId = seedRecord(fhir);
        step("1", "The hospital's FHIR server (sandbox, " + fhir.baseUrl() + ") holds the appointment:");
        show(fhir.appointments().current(appointmentId));

        engine.bean("consentStore", ConsentStore.class).record("EPI|E1234567", "+16175550123", ConsentStatus.OPT_IN,
                "demo: front desk", null, Instant.now()).get(10, TimeUnit.SECONDS);
        step("2", "Front desk recorded Jane's WhatsApp opt-in for +16175550123.");

        String message = sample();
        String ack = sendOverMllp(engine, message);
        step("3", "Sent " + SAMPLE + " (SIU^S12) over MLLP; the engine answered " + ack + ".");

        awaitUntil("the confirmation template", () -> whatsapp.received().stream().anyMatch(ReplyDemo::isTemplate));
        Received sent = whatsapp.received().stream().filter(ReplyDemo::isTemplate).findFirst().orElseThrow();
        JsonNode template = JSON.readTree(sent.request()).path("template");
        step("4", "WhatsApp Cloud API (simulator) accepted template '" + template.path("name").asText() + "' ("
                + template.path("language").path("code").asText() + ") to +" + sent.to().replace("+", "") + ":");
        System.out.println("      parameters: " + template.path("components").path(0).path("parameters")
                .findValuesAsText("text"));
        System.out.println("      buttons:    " + template.path("components").findValuesAsText("payload"));
        Database store = engine.bean("careloopStore", Database.class);
        System.out.println("      reminders:  " + reminders(store));

        String payload = tap + ":" + SUBJECT;
        String label = tap.charAt(0) + tap.substring(1).toLowerCase(Locale.ROOT);
        whatsapp.reply("16175550123", sent.wamid(), "button", payload, label);
        step("5", "Jane taps '" + label + "': the simulator sends the signed webhook {button: " + payload
                + ", context: " + sent.wamid() + "}.");

        awaitUntil("the write-back", () -> writebackResult(store) != null);
        step("6", "Written back to the FHIR server: " + writebackResult(store));
        show(fhir.appointments().current(appointmentId));
        System.out.println("      reminders:  " + reminders(store));
        if ("RESCHEDULE".equals(tap)) {
            fhir.tasks().all().forEach(task -> System.out.println("      Task/"
                    + task.getIdElement().getIdPart() + " for staff: " + task.getDescription()));
        }
        awaitUntil("the acknowledgement", () -> whatsapp.received().stream().anyMatch(r -> r.template() == null
                && r.httpStatus() == 200));
        Received text = whatsapp.received().stream().filter(r -> r.template() == null).findFirst().orElseThrow();
        step("7", "Acknowledged in Jane's language: \"" + JSON.readTree(text.request()).path("text").path("body")
                .asText() + "\"");
    }

    private static Map<String, String> settings(Path data) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("careloop.data-dir", data.toString());
        for (String port : new String[] {"careloop.mllp.port", "careloop.http.port", "careloop.whatsapp.sandbox.port",
                "careloop.fhir.sandbox.port"}) {
            settings.put(port, String.valueOf(freePort()));
        }
        settings.put("careloop.api.token", "demo");
        settings.put("careloop.site.quiet-hours", ""); // the demo runs at any hour
        settings.put("careloop.whatsapp.sandbox.status-delay-ms", "100");
        return settings;
    }

    /** Jane and her appointment as the EHR's FHIR server knows them: identifiers match the HL7 feed's. */
    private static String seedRecord(SandboxFhirServer fhir) {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("urn:careloop:patient:EPI").setValue("E1234567"));
        patient.addName().setFamily("Doe").addGiven("Jane");
        String patientId = fhir.patients().create(patient, null).getId().getIdPart();
        Appointment appointment = new Appointment().setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.addIdentifier(new Identifier().setSystem("urn:careloop:appointment:EPIC").setValue("36996"));
        appointment.addParticipant().setActor(new Reference("Patient/" + patientId).setDisplay("Jane Doe"))
                .setStatus(Appointment.ParticipationStatus.NEEDSACTION);
        appointment.addParticipant().setActor(new Reference().setDisplay("Dr John Smith"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return fhir.appointments().create(appointment, null).getId().getIdPart();
    }

    /** The sample, moved to a day two weeks ahead once its own day (14 December 2026) is near or past. */
    private static String sample() throws IOException {
        String message = Files.readString(SAMPLE, StandardCharsets.UTF_8);
        LocalDate sampleDay = LocalDate.parse(SAMPLE_DAY, DateTimeFormatter.BASIC_ISO_DATE);
        LocalDate today = LocalDate.now(ZoneId.of("America/New_York"));
        if (sampleDay.isAfter(today.plusDays(2))) {
            return message;
        }
        String day = today.plusDays(14).format(DateTimeFormatter.BASIC_ISO_DATE);
        System.out.println("(the sample's appointment day has passed: moved to " + day + ")");
        return message.replace(SAMPLE_DAY, day);
    }

    /** Through HAPI's own MLLP client, as an interface engine would send it. */
    private static String sendOverMllp(CareLoopEngine engine, String text) throws Exception {
        int port = Integer.parseInt(engine.camelContext().resolvePropertyPlaceholders("{{careloop.mllp.port}}"));
        try (HapiContext hapi = new DefaultHapiContext()) {
            hapi.setValidationContext(new NoValidation());
            PipeParser parser = hapi.getPipeParser();
            Message message = parser.parse(text.replace("\n", "\r").replace("\r\r", "\r"));
            Connection connection = hapi.newClient("127.0.0.1", port, false);
            try {
                Message response = connection.getInitiator().sendAndReceive(message);
                return parser.encode(response).split("\r")[1].split("\\|")[1];
            } finally {
                connection.close();
            }
        }
    }

    private static String writebackResult(Database store) {
        return query(store, "SELECT state || ': ' || COALESCE(result, last_error) FROM fhir_writeback "
                + "WHERE state <> 'PENDING'").stream().findFirst().orElse(null);
    }

    private static List<String> reminders(Database store) {
        return query(store, "SELECT slot || ' ' || state FROM wa_outbound WHERE subject_key = '" + SUBJECT
                + "' AND mapping_id = 'appointment-reminder' ORDER BY slot");
    }

    private static List<String> query(Database store, String sql) {
        try {
            return Reads.list(store.dataSource(), sql, row -> row.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isTemplate(Received received) {
        return "appointment_confirmation".equals(received.template()) && received.httpStatus() == 200;
    }

    private static void show(Appointment appointment) {
        System.out.println("      Appointment/" + appointment.getIdElement().getIdPart() + " version "
                + appointment.getMeta().getVersionId() + ": status " + appointment.getStatus().toCode()
                + (appointment.hasCancelationReason() ? " (reason "
                        + appointment.getCancelationReason().getCodingFirstRep().getCode() + ")" : "")
                + ", patient participant " + appointment.getParticipantFirstRep().getStatus().toCode());
    }

    private static void step(String number, String text) {
        System.out.println("[" + number + "] " + text);
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the demo waited 30 s for " + what + " in vain");
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
