package org.careloop.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.time.ZoneOffset;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.careloop.config.Clocks;
import org.careloop.fhir.sandbox.SandboxEhr;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.settings.FhirSettings;
import org.careloop.store.Database;

/**
 * The hospital's FHIR server, from its settings: the HAPI FHIR R4 client the reply write-back and the
 * subscription intake share (fhirContext, fhirClient), and in {@code sandbox} mode the FHIR server that ships with
 * CareLoop, which the client then talks to (sandboxFhirServer).
 */
public class FhirBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        FhirSettings settings = SettingsBeans.of(camel, FhirSettings.class);
        String target = settings.baseUrl();
        boolean sandbox = settings.sandbox();
        // the sandbox-ehr route runs only when the sandbox plays the EHR
        camel.getPropertiesComponent().addInitialProperty("careloop.fhir.sandbox.active", String.valueOf(sandbox));
        if (sandbox) {
            SandboxFhirServer server = new SandboxFhirServer(settings.sandboxHost(), settings.sandboxPort()).start();
            camel.getRegistry().bind("sandboxFhirServer", server);
            Shutdown.closeWith(camel, server);
            target = server.baseUrl();
            SandboxEhr ehr = new SandboxEhr(server, settings.appointmentIdentifierSystem(),
                    settings.patientIdentifierSystem(), Clocks.of(camel, ZoneOffset.UTC));
            ehr.rebuild(camel.getRegistry().lookupByNameAndType("careloopStore", Database.class).dataSource());
            camel.getRegistry().bind("sandboxEhr", ehr);
        }
        // A context of its own: the client factory's timeouts are per context, and the cached one is shared.
        FhirContext fhir = FhirContext.forR4();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setConnectTimeout((int) settings.connectTimeout().toMillis());
        fhir.getRestfulClientFactory().setSocketTimeout((int) settings.socketTimeout().toMillis());
        IGenericClient client = fhir.newRestfulGenericClient(target);
        if (!settings.token().isEmpty()) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(settings.token().value()));
        }
        camel.getRegistry().bind("fhirContext", fhir);
        camel.getRegistry().bind("fhirClient", client);
    }
}
