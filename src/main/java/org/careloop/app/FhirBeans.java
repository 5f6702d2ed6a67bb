package org.careloop.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.time.ZoneOffset;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.careloop.config.Clocks;
import org.careloop.fhir.sandbox.SandboxEhr;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.store.Database;

/**
 * The hospital's FHIR server, from {@code careloop.fhir.*}: the HAPI FHIR R4 client the reply write-back and the
 * subscription intake share (fhirContext, fhirClient), and in {@code sandbox} mode the FHIR server that ships with
 * CareLoop, which the client then talks to (sandboxFhirServer).
 */
public class FhirBeans implements CamelConfiguration {

    /** Which FHIR server CareLoop talks to. */
    enum Mode {
        /** The in-memory FHIR R4 server that ships with CareLoop, started by the engine. */
        SANDBOX,
        /** The hospital's FHIR server. */
        EXTERNAL
    }

    @PropertyInject("careloop.fhir.mode")
    private String mode;
    @PropertyInject("careloop.fhir.sandbox.host")
    private String sandboxHost;
    @PropertyInject("careloop.fhir.sandbox.port")
    private int sandboxPort;
    @PropertyInject("careloop.fhir.base-url")
    private String baseUrl;
    @PropertyInject(value = "careloop.fhir.token", defaultValue = "")
    private String token;
    @PropertyInject(value = "careloop.fhir.token-file", defaultValue = "")
    private String tokenFile;
    @PropertyInject("careloop.fhir.connect-timeout-ms")
    private int connectTimeoutMillis;
    @PropertyInject("careloop.fhir.socket-timeout-ms")
    private int socketTimeoutMillis;
    @PropertyInject("careloop.fhir.appointment-identifier-system")
    private String appointmentIdentifierSystem;
    @PropertyInject("careloop.fhir.patient-identifier-system")
    private String patientIdentifierSystem;

    @Override
    public void configure(CamelContext camel) throws Exception {
        String target = baseUrl;
        boolean sandbox = Settings.enumValue("careloop.fhir.mode", mode, Mode.class) == Mode.SANDBOX;
        // the sandbox-ehr route runs only when the sandbox plays the EHR
        camel.getPropertiesComponent().addInitialProperty("careloop.fhir.sandbox.active", String.valueOf(sandbox));
        if (sandbox) {
            SandboxFhirServer server = new SandboxFhirServer(sandboxHost, sandboxPort).start();
            camel.getRegistry().bind("sandboxFhirServer", server);
            Shutdown.closeWith(camel, server);
            target = server.baseUrl();
            SandboxEhr ehr = new SandboxEhr(server, appointmentIdentifierSystem, patientIdentifierSystem,
                    Clocks.of(camel, ZoneOffset.UTC));
            ehr.rebuild(camel.getRegistry().lookupByNameAndType("careloopStore", Database.class).dataSource());
            camel.getRegistry().bind("sandboxEhr", ehr);
        }
        // A context of its own: the client factory's timeouts are per context, and the cached one is shared.
        FhirContext fhir = FhirContext.forR4();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setConnectTimeout(connectTimeoutMillis);
        fhir.getRestfulClientFactory().setSocketTimeout(socketTimeoutMillis);
        IGenericClient client = fhir.newRestfulGenericClient(target);
        String bearer = Secrets.resolve("careloop.fhir.token", token, "careloop.fhir.token-file", tokenFile);
        if (!bearer.isEmpty()) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(bearer));
        }
        camel.getRegistry().bind("fhirContext", fhir);
        camel.getRegistry().bind("fhirClient", client);
    }
}
