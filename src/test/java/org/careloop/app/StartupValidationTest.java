package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.Main;
import org.careloop.testing.TestEngines;
import org.careloop.testing.TestPorts;
import org.careloop.settings.SettingsReader;
import org.careloop.settings.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong setting or site codes file stops start-up with a message naming the file or property, the entry and the fix. */
class StartupValidationTest {

    @TempDir
    Path dir;

    @Test
    void aSiteCodeMappedToAnUnknownStatusNamesTheFileTheCodeAndTheFix() throws Exception {
        Path codes = dir.resolve("hl7-codes.yaml");
        Files.writeString(codes, "appointmentStatus:\n  CONF: confirmed\n");

        String message = startupFailure(Map.of("careloop.hl7.site-codes", codes.toString()));

        assertThat(message).isEqualTo(codes + ": appointmentStatus 'CONF' maps to 'confirmed', which is not an "
                + "appointment status; use one of proposed, pending, booked, arrived, fulfilled, cancelled, noshow, "
                + "entered-in-error, checked-in, waitlist");
    }

    @Test
    void aSiteCodesFileThatIsNotYamlNamesTheLine() throws Exception {
        Path codes = dir.resolve("hl7-codes.yaml");
        Files.writeString(codes, "language:\n  SPA: es\n   bad indent: [\n");

        assertThat(startupFailure(Map.of("careloop.hl7.site-codes", codes.toString())))
                .startsWith(codes + ": not valid YAML at line 3");
    }

    @Test
    void aLanguageThatIsNotATagIsRefused() throws Exception {
        Path codes = dir.resolve("hl7-codes.yaml");
        Files.writeString(codes, "language:\n  SPA: \"es es\"\n");

        assertThat(startupFailure(Map.of("careloop.hl7.site-codes", codes.toString()))).isEqualTo(codes
                + ": language 'SPA' maps to 'es es', which is not a BCP-47 language tag; use a tag such as es, "
                + "en-GB or pt-BR");
    }

    @Test
    void aSubscriptionThatSearchesForSomethingElseNamesTheFileTheEntryAndTheFix() throws Exception {
        Path subscriptions = dir.resolve("fhir-subscriptions.yaml");
        Files.writeString(subscriptions, "subscriptions:\n  - id: labs\n    secret: s\n    criteria: Observation?\n"
                + "  - id: \"has space\"\n    criteria: Appointment\n");

        assertThat(startupFailure(Map.of("careloop.fhir.subscriptions-file", subscriptions.toString()))).isEqualTo(
                subscriptions + ": subscription 'labs': criteria 'Observation?' must search Appointment, Patient, "
                        + "Encounter, DiagnosticReport or MedicationRequest, e.g. "
                        + "Appointment?status=booked,cancelled,noshow\n"
                        + subscriptions + ": subscription 'has space': id must be 1 to 64 letters, digits, '-' or '_' "
                        + "(it is the endpoint's path)");
    }

    @Test
    void aReplyButtonTitleLongerThanWhatsAppAllowsNamesTheFileAndTheEntry() throws Exception {
        Path replies = dir.resolve("replies.yaml");
        Files.writeString(replies, "changedAppointment:\n  en:\n    text: \"It is now {appointment.datetime}.\"\n"
                + "    confirm: \"Yes, I will be there on time\"\n    cancel: Cancel\n    reschedule: Move\n");

        assertThat(startupFailure(Map.of("careloop.replies.rules-file", replies.toString()))).isEqualTo(replies
                + ": changedAppointment.en.confirm must be a button title of 1 to 20 characters (WhatsApp's limit)");
    }

    @Test
    void anUnknownFieldInAReplyTextNamesTheFileAndTheEntry() throws Exception {
        Path replies = dir.resolve("replies.yaml");
        Files.writeString(replies, "acknowledgements:\n  CANCEL:\n    en: \"Cancelled: {appointment.when}\"\n");

        assertThat(startupFailure(Map.of("careloop.replies.rules-file", replies.toString())))
                .startsWith(replies + ": acknowledgements.CANCEL.en: ").contains("appointment.when");
    }

    @Test
    void anUnknownDurabilityLevelNamesTheChoices() throws Exception {
        assertThat(startupFailure(Map.of("careloop.store.durability", "fast")))
                .isEqualTo("careloop.store.durability=fast is not valid; use one of: crash, power");
    }

    @Test
    void aStageSettingThatIsNotANumberIsNamedBeforeAnyRouteStarts() throws Exception {
        assertThat(startupFailure(Map.of("careloop.processing.batch-size", "lots")))
                .isEqualTo("careloop.processing.batch-size=lots is not valid; use a whole number of at least 1");
    }

    @Test
    void aSettingMissingFromThePropertiesNamesTheKeyAndWhereItsDefaultLives() {
        SettingsReader reader = new SettingsReader(key -> Optional.empty());

        assertThat(catchThrowable(() -> StoreSettings.read(reader))).hasMessage("careloop.store.url is not set: "
                + "CareLoop's application.properties gives every key its default; add it to the properties locations "
                + "(classpath:careloop/application.properties) or set careloop.store.url or the environment variable "
                + "CARELOOP_STORE_URL");
    }

    @Test
    void anApplicationThatLeavesOutTheSettingsIsToldWhichClassToList() {
        Main main = new Main();
        CareLoopEngine.CONFIGURATIONS.stream().filter(c -> c != SettingsBeans.class)
                .forEach(main.configure()::addConfiguration);
        TestEngines.settings(dir.resolve("data")).forEach(main::addOverrideProperty);
        try {
            assertThat(rootCause(catchThrowable(main::start))).hasMessage("siteSettings is not bound: list "
                    + "org.careloop.app.SettingsBeans first in camel.main.configuration-classes (see "
                    + "CareLoopEngine.CONFIGURATIONS)");
        } finally {
            main.stop();
        }
    }

    @Test
    void anUnknownTimeZoneIsNamed() throws Exception {
        assertThat(startupFailure(Map.of("careloop.site.time-zone", "Mars/Olympus")))
                .isEqualTo("careloop.site.time-zone=Mars/Olympus is not a time zone; use an IANA id such as "
                        + "Europe/London or America/Chicago");
    }

    @Test
    void twoListenersOnOnePortAreNamedBeforeEitherBinds() throws Exception {
        String http = String.valueOf(TestPorts.next());

        assertThat(startupFailure(Map.of("careloop.http.port", http, "careloop.whatsapp.sandbox.port", http))).isEqualTo("careloop.http.port and "
                + "careloop.whatsapp.sandbox.port are both " + http + ": each listener needs a port of its own; "
                + "change one of them");
    }

    private String startupFailure(Map<String, String> settings) {
        Map<String, String> all = TestEngines.settings(dir.resolve("data"));
        all.putAll(settings);
        Throwable failure = catchThrowable(() -> CareLoopEngine.start(all).close());
        assertThat(failure).as("start-up fails").isNotNull();
        return rootCause(failure).getMessage();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }
}
