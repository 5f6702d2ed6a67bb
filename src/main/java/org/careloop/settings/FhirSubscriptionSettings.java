package org.careloop.settings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code careloop.fhir.subscriptions*}: the FHIR server's notifications of changes, and the searches that catch
 * what they missed.
 *
 * @param file                the subscriptions file
 * @param maxBytes            the largest notification accepted
 * @param reconcileEvery      how often each subscription's criteria are searched for changes it was not notified of
 * @param initialLookback     how far back the first search looks
 * @param referenceCache      how long a referenced Patient or Location read is reused
 */
public record FhirSubscriptionSettings(boolean enabled, Path file, int maxBytes, Duration reconcileEvery,
        Duration initialLookback, Duration referenceCache, Duration idlePoll) {

    public static FhirSubscriptionSettings read(SettingsReader settings) {
        return new FhirSubscriptionSettings(settings.flag("careloop.fhir.subscriptions.enabled"),
                settings.path("careloop.fhir.subscriptions-file"),
                settings.integer("careloop.fhir.subscriptions.max-bytes", 1024),
                settings.camelDuration("careloop.fhir.subscriptions.reconcile-every"),
                settings.hours("careloop.fhir.subscriptions.initial-lookback-hours"),
                settings.minutes("careloop.fhir.subscriptions.reference-cache-minutes"),
                settings.millis("careloop.fhir.subscriptions.idle-poll-ms"));
    }
}
