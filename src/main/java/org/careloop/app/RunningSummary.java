package org.careloop.app;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.careloop.settings.FhirSettings;
import org.careloop.settings.HttpSettings;
import org.careloop.settings.MllpSettings;
import org.careloop.settings.WhatsAppSandboxSettings;
import org.careloop.settings.WhatsAppSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line once the engine has started, with the addresses it is listening on as they are bound (Camel's own
 * endpoint listing prints 0.0.0.0 whatever the host, so it is turned off in log4j2.xml). Names no secret.
 */
final class RunningSummary implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunningSummary.class);

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the routes (and so the listeners) are not all started yet
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        LOG.info("CareLoop is running: {}", String.join("; ", listeners(context)));
    }

    private static List<String> listeners(CamelContext camel) {
        MllpSettings mllp = SettingsBeans.of(camel, MllpSettings.class);
        String http = SettingsBeans.of(camel, HttpSettings.class).baseUrl();
        List<String> listeners = new ArrayList<>();
        listeners.add("MLLP on " + mllp.host() + ":" + mllp.port());
        listeners.add("operator API " + http + "/api, WhatsApp webhook " + http + "/webhooks/whatsapp, FHIR "
                + "subscriptions " + http + "/fhir/subscriptions/<id>");
        if (SettingsBeans.of(camel, WhatsAppSettings.class).sandbox()) {
            WhatsAppSandboxSettings sandbox = SettingsBeans.of(camel, WhatsAppSandboxSettings.class);
            listeners.add("WhatsApp sandbox http://" + sandbox.host() + ":" + sandbox.port());
        }
        FhirSettings fhir = SettingsBeans.of(camel, FhirSettings.class);
        if (fhir.sandbox()) {
            listeners.add("FHIR sandbox http://" + fhir.sandboxHost() + ":" + fhir.sandboxPort() + "/fhir");
        }
        return listeners;
    }
}
