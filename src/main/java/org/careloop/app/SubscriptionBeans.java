package org.careloop.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.event.CareEventStore;
import org.careloop.event.PhoneNumbers;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.fhir.subscription.FhirCareEvents;
import org.careloop.fhir.subscription.FhirDeliveries;
import org.careloop.fhir.subscription.FhirDeliveryToCareEvents;
import org.careloop.fhir.subscription.FhirReconciliation;
import org.careloop.fhir.subscription.Subscription;
import org.careloop.fhir.subscription.SubscriptionFiles;
import org.careloop.fhir.subscription.FhirSubscriptionIntake;
import org.careloop.ops.FhirDeliveriesApi;
import org.careloop.settings.FhirSettings;
import org.careloop.settings.FhirSubscriptionSettings;
import org.careloop.settings.HttpSettings;
import org.careloop.settings.SiteSettings;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.queue.QueueComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the FHIR subscription intake from its settings: the endpoints' bean
 * (fhirSubscriptionIntake), the delivery stage's step turning deliveries into CareEvents
 * (fhirDeliveryToCareEvents) on {@link FhirBeans}' client, the periodic reconciliation (fhirReconciliation), and the
 * operator API (fhirDeliveriesApi).
 */
public class SubscriptionBeans implements CamelConfiguration {

    /** The secret of the sandbox's subscriptions when none is configured: known to the sandbox and the engine only. */
    static final String SANDBOX_SUBSCRIPTION_SECRET = "sandbox-subscription-secret";

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionBeans.class);

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        Clock clock = Clocks.of(camel, ZoneOffset.UTC);
        FhirSubscriptionSettings settings = SettingsBeans.of(camel, FhirSubscriptionSettings.class);
        FhirSettings fhirSettings = SettingsBeans.of(camel, FhirSettings.class);
        SiteSettings site = SettingsBeans.of(camel, SiteSettings.class);
        Map<String, Subscription> subscriptions = SubscriptionFiles.load(settings.file(), System::getenv);
        SandboxFhirServer sandbox = registry.lookupByNameAndType("sandboxFhirServer", SandboxFhirServer.class);
        if (sandbox != null) {
            subscriptions = subscribeTheSandbox(sandbox, subscriptions,
                    SettingsBeans.of(camel, HttpSettings.class).baseUrl());
        }
        subscriptions.values().stream().filter(s -> s.secret() == null).forEach(s -> LOG.warn("FHIR subscription "
                + "'{}' has no secret ({}): it refuses every delivery with 401", s.id(), settings.file()));
        QueueComponent queues = camel.getComponent("careloop-queue", QueueComponent.class);
        FhirDeliveries deliveries = new FhirDeliveries(writer, database.dataSource(),
                () -> queues.signal(FhirDeliveries.QUEUE));
        FhirContext fhir = registry.lookupByNameAndType("fhirContext", FhirContext.class);
        IGenericClient client = registry.lookupByNameAndType("fhirClient", IGenericClient.class);
        FhirCareEvents mapper = new FhirCareEvents(site.zone(), new PhoneNumbers(site.phoneRegion()),
                fhirSettings.patientIdentifierSystem(), fhirSettings.appointmentIdentifierSystem());

        registry.bind("fhirSubscriptionIntake", new FhirSubscriptionIntake(subscriptions, deliveries, fhir,
                settings.maxBytes(), clock));
        registry.bind("fhirDeliveryToCareEvents", new FhirDeliveryToCareEvents(subscriptions, deliveries, client,
                fhir, settings.referenceCache(), mapper,
                registry.lookupByNameAndType("careEventStore", CareEventStore.class), fhirSettings.retry(),
                settings.initialLookback(), clock));
        registry.bind("fhirReconciliation", new FhirReconciliation(subscriptions, deliveries, clock));
        registry.bind("fhirDeliveriesApi", new FhirDeliveriesApi(database.dataSource(), writer, queues, clock));
    }

    /**
     * Sandbox mode: the sandbox FHIR server plays the hospital's, so it gets the Subscriptions an administrator would
     * create there, one rest-hook per configured subscription, pointing at this engine with its secret (the
     * sandbox's own when none is set), and notifies every change as a real server does.
     */
    private Map<String, Subscription> subscribeTheSandbox(SandboxFhirServer sandbox,
            Map<String, Subscription> configured, String engineUrl) {
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        for (Subscription subscription : configured.values()) {
            Subscription withSecret = subscription.secret() != null ? subscription
                    : subscription.withSecret(SANDBOX_SUBSCRIPTION_SECRET);
            subscriptions.put(withSecret.id(), withSecret);
            sandbox.subscribe(withSecret.criteriaType(), engineUrl + "/fhir/subscriptions/" + withSecret.id(),
                    Map.of(withSecret.header(), withSecret.headerValue()));
            LOG.info("Sandbox mode: the sandbox FHIR server notifies subscription '{}' of every {} change",
                    withSecret.id(), withSecret.criteriaType());
        }
        return subscriptions;
    }
}
