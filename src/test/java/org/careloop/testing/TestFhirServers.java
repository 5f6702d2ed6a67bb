package org.careloop.testing;

import java.util.HashMap;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.hl7.fhir.r4.model.Appointment;

/**
 * A FHIR server owned by a test rather than by the engine: it outlives engine restarts and can be stopped while the
 * engine runs. Started when the test instance is made, so that its URL is known to {@link EngineTest#properties()}.
 */
public final class TestFhirServers {

    private TestFhirServers() {
    }

    public static SandboxFhirServer start() {
        try {
            return new SandboxFhirServer("127.0.0.1", 0).start();
        } catch (Exception e) {
            throw new IllegalStateException("the test's FHIR server did not start", e);
        }
    }

    /**
     * From now on the server notifies the engine's {@code appointments} subscription (the tests' secret) of every
     * Appointment change, CareLoop's own included, as a hospital's server does.
     */
    public static void notifyEngine(SandboxFhirServer server, int httpPort) {
        server.subscribe(Appointment.class, "http://127.0.0.1:" + httpPort + "/fhir/subscriptions/appointments",
                Map.of("Authorization", "Bearer test-subscription-secret"));
    }

    /** Settings pointing an engine at the server, with fast retries, plus the test's own. */
    public static Map<String, String> engineSettings(SandboxFhirServer server, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("careloop.fhir.mode", "external",
                "careloop.fhir.base-url", server.baseUrl(), "careloop.site.quiet-hours", "",
                "careloop.fhir.retry.first-seconds", "1", "careloop.fhir.retry.max-seconds", "2"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }
}
