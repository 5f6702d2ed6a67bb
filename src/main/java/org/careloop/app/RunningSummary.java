package org.careloop.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.PropertiesComponent;
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
        PropertiesComponent properties = camel.getPropertiesComponent();
        List<String> listeners = new ArrayList<>();
        listeners.add("MLLP on " + address(properties, "careloop.mllp"));
        String http = "http://" + address(properties, "careloop.http");
        listeners.add("operator API " + http + "/api, WhatsApp webhook " + http + "/webhooks/whatsapp, FHIR "
                + "subscriptions " + http + "/fhir/subscriptions/<id>");
        if (mode(properties, "careloop.whatsapp.mode").equals("sandbox")) {
            listeners.add("WhatsApp sandbox http://" + address(properties, "careloop.whatsapp.sandbox"));
        }
        if (mode(properties, "careloop.fhir.mode").equals("sandbox")) {
            listeners.add("FHIR sandbox http://" + address(properties, "careloop.fhir.sandbox") + "/fhir");
        }
        return listeners;
    }

    private static String address(PropertiesComponent properties, String prefix) {
        return properties.resolveProperty(prefix + ".host").orElse("?") + ":"
                + properties.resolveProperty(prefix + ".port").orElse("?");
    }

    private static String mode(PropertiesComponent properties, String property) {
        return properties.resolveProperty(property).orElse("").trim().toLowerCase(Locale.ROOT);
    }
}
