package org.careloop.testing;

import java.util.HashMap;
import java.util.Map;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A care journey through the engine on the test's clock, against a hospital's FHIR server (the test's own): Jane
 * (EPI|E100, +16175550123) is on record there and has opted in; the tests' subscriptions answer its notifications.
 */
public abstract class JourneyTest extends SendingEngineTest {

    protected static final String PHONE = "+16175550123";
    protected static final String WA_ID = "16175550123";

    protected final SandboxFhirServer fhir = TestFhirServers.start();
    /** Jane's Patient on the FHIR server. */
    protected String patientId;

    @Override
    protected Map<String, String> properties() {
        Map<String, String> settings = new HashMap<>(super.properties());
        settings.putAll(TestFhirServers.engineSettings(fhir, "careloop.fhir.writeback.idle-poll-ms", "50",
                "careloop.fhir.subscriptions-file", "src/test/resources/mappings/fhir-subscriptions.yaml",
                "careloop.fhir.subscriptions.reconcile-every", "1h"));
        return settings;
    }

    @BeforeEach
    void seedJane() throws Exception {
        patientId = TestFhirServers.seedJanesAppointment(fhir).patientId();
        optIn("EPI|E100", PHONE);
    }

    @AfterEach
    void stopFhirServer() throws Exception {
        fhir.close();
    }

    /** Jane's Patient gets her mobile, so that what the FHIR server reports about her reaches her. */
    protected void recordJanesMobile() {
        Patient withMobile = fhir.patients().current(patientId).copy();
        withMobile.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(ContactPoint.ContactPointUse.MOBILE).setValue(PHONE);
        fhir.patients().update(withMobile.getIdElement().toUnqualifiedVersionless(), withMobile);
    }

    /** From now on the FHIR server notifies the tests' subscription of every change of this type. */
    protected void subscribe(Class<? extends DomainResource> type, String subscription, String secret) {
        fhir.subscribe(type, "http://127.0.0.1:" + httpPort + "/fhir/subscriptions/" + subscription,
                Map.of("Authorization", "Bearer " + secret));
    }

    protected CloudApiSimulator simulator() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }
}
