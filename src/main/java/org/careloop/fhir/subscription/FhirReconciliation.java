package org.careloop.fhir.subscription;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Servers give up on a subscriber after about a minute of failures and lose what they could not deliver: every so
 * often, each subscription gets a search for what changed since the last one, queued like a delivery (and not twice).
 */
public final class FhirReconciliation implements Processor {

    private final Map<String, Subscription> subscriptions;
    private final FhirDeliveries deliveries;
    private final Clock clock;

    public FhirReconciliation(Map<String, Subscription> subscriptions, FhirDeliveries deliveries, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        for (Subscription subscription : subscriptions.values()) {
            deliveries.store(subscription.id(), FhirDeliveries.Kind.RECONCILE, null, null, null, null, clock.instant())
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
