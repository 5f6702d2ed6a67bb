package org.careloop.settings;

import java.time.Duration;
import org.careloop.fhir.writeback.FhirWriteback;
import org.careloop.queue.RetryPolicy;

/**
 * {@code careloop.fhir.*} (but the subscriptions): the hospital's FHIR server, and how replies are written back to
 * it.
 *
 * @param sandboxHost                  where the sandbox FHIR server listens in sandbox mode
 * @param appointmentIdentifierSystem  the identifier system of an HL7 appointment id ({@code {system}} is its
 *                                     assigning authority)
 * @param patientIdentifierSystem      the identifier system of an HL7 patient id ({@code {authority}} is PID-3.4)
 * @param clinicalReview               how a worrying answer reaches the care team: an urgent Task or a Flag
 * @param adherenceWriteback           whether a medication reminder's Taken and Skip become MedicationStatements
 * @param conflictAttempts             how often a write-back that meets a newer version is tried again at once
 * @param retry                        when a write-back that failed is tried again (it never gives up by itself)
 */
public record FhirSettings(Mode mode, String sandboxHost, int sandboxPort, String baseUrl, Secret token,
        Duration connectTimeout, Duration socketTimeout, FhirWriteback.Mode writebackMode,
        String appointmentIdentifierSystem, String patientIdentifierSystem,
        FhirWriteback.StaffRequest rescheduleRequest, FhirWriteback.ReviewRequest clinicalReview,
        FhirWriteback.AdherenceWriteback adherenceWriteback,
        int conflictAttempts, RetryPolicy retry,
        Duration writebackIdlePoll) {

    /** Which FHIR server CareLoop talks to. */
    public enum Mode {
        /** The in-memory FHIR R4 server that ships with CareLoop, started by the engine. */
        SANDBOX,
        /** The hospital's FHIR server. */
        EXTERNAL
    }

    public static FhirSettings read(SettingsReader settings) {
        return new FhirSettings(settings.choice("careloop.fhir.mode", Mode.class),
                settings.required("careloop.fhir.sandbox.host"), settings.port("careloop.fhir.sandbox.port"),
                settings.required("careloop.fhir.base-url"),
                settings.secret("careloop.fhir.token", "careloop.fhir.token-file"),
                settings.millis("careloop.fhir.connect-timeout-ms"),
                settings.millis("careloop.fhir.socket-timeout-ms"),
                settings.choice("careloop.fhir.writeback-mode", FhirWriteback.Mode.class),
                settings.required("careloop.fhir.appointment-identifier-system"),
                settings.required("careloop.fhir.patient-identifier-system"),
                settings.choice("careloop.fhir.reschedule-request", FhirWriteback.StaffRequest.class),
                settings.choice("careloop.fhir.clinical-review", FhirWriteback.ReviewRequest.class),
                settings.choice("careloop.fhir.adherence-writeback", FhirWriteback.AdherenceWriteback.class),
                settings.integer("careloop.fhir.conflict-attempts", 1),
                new RetryPolicy(settings.seconds("careloop.fhir.retry.first-seconds"),
                        settings.seconds("careloop.fhir.retry.max-seconds"), Integer.MAX_VALUE),
                settings.millis("careloop.fhir.writeback.idle-poll-ms"));
    }

    public boolean sandbox() {
        return mode == Mode.SANDBOX;
    }
}
