package org.careloop.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.careloop.event.CareEventStore;
import org.careloop.event.PhoneNumbers;
import org.careloop.fhir.subscription.FhirCareEvents;
import org.careloop.fhir.subscription.FhirDeliveries;
import org.careloop.fhir.subscription.Reconciliation;
import org.careloop.fhir.subscription.Subscription;
import org.careloop.fhir.subscription.SubscriptionFiles;
import org.careloop.fhir.subscription.SubscriptionIntake;
import org.careloop.fhir.subscription.SubscriptionProcessor;
import org.careloop.ops.FhirDeliveriesApi;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.whatsapp.dispatch.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the FHIR subscription intake from {@code careloop.fhir.subscriptions*}: the endpoints' bean
 * (fhirSubscriptionIntake), the processor turning deliveries into CareEvents (fhirSubscriptionProcessor) on
 * {@link FhirBeans}' client, the periodic reconciliation (fhirReconciliation), and the operator API
 * (fhirDeliveriesApi).
 */
public class SubscriptionBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionBeans.class);

    @PropertyInject("careloop.fhir.subscriptions-file")
    private String subscriptionsFile;
    @PropertyInject("careloop.fhir.subscriptions.max-bytes")
    private int maxBytes;
    @PropertyInject("careloop.fhir.subscriptions.initial-lookback-hours")
    private double initialLookbackHours;
    @PropertyInject("careloop.fhir.subscriptions.reference-cache-minutes")
    private double referenceCacheMinutes;
    @PropertyInject("careloop.fhir.appointment-identifier-system")
    private String appointmentIdentifierSystem;
    @PropertyInject("careloop.fhir.patient-identifier-system")
    private String patientIdentifierSystem;
    @PropertyInject("careloop.site.time-zone")
    private String timeZone;
    @PropertyInject("careloop.site.phone-region")
    private String phoneRegion;
    @PropertyInject("careloop.fhir.retry.first-seconds")
    private long retryFirstSeconds;
    @PropertyInject("careloop.fhir.retry.max-seconds")
    private long retryMaxSeconds;

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        Clock clock = Clocks.of(camel, ZoneOffset.UTC);
        Map<String, Subscription> subscriptions = SubscriptionFiles.load(Path.of(subscriptionsFile), System::getenv);
        subscriptions.values().stream().filter(s -> s.secret() == null).forEach(s -> LOG.warn("FHIR subscription "
                + "'{}' has no secret ({}): it refuses every delivery with 401", s.id(), subscriptionsFile));
        FhirDeliveries deliveries = new FhirDeliveries(writer, database.dataSource());
        FhirContext fhir = registry.lookupByNameAndType("fhirContext", FhirContext.class);
        IGenericClient client = registry.lookupByNameAndType("fhirClient", IGenericClient.class);
        FhirCareEvents mapper = new FhirCareEvents(Settings.zone("careloop.site.time-zone", timeZone),
                new PhoneNumbers(phoneRegion), patientIdentifierSystem, appointmentIdentifierSystem);

        registry.bind("fhirSubscriptionIntake", new SubscriptionIntake(subscriptions, deliveries, fhir, maxBytes,
                clock));
        registry.bind("fhirSubscriptionProcessor", new SubscriptionProcessor(subscriptions, deliveries, client, fhir,
                minutes(referenceCacheMinutes), mapper, new CareEventStore(database.dataSource()), writer,
                new RetryPolicy(Duration.ofSeconds(retryFirstSeconds), Duration.ofSeconds(retryMaxSeconds),
                        Integer.MAX_VALUE), minutes(initialLookbackHours * 60), clock));
        registry.bind("fhirReconciliation", new Reconciliation(subscriptions, deliveries, clock));
        registry.bind("fhirDeliveriesApi", new FhirDeliveriesApi(database.dataSource(), writer, clock));
    }

    private static Duration minutes(double minutes) {
        return Duration.ofSeconds(Math.round(minutes * 60));
    }
}
