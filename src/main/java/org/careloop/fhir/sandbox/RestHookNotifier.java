package org.careloop.fhir.sandbox;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.DomainResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox FHIR server's R4 rest-hook subscriptions, delivered as HAPI FHIR JPA delivers them (seen on loopback,
 * DOMAIN.md §3): every new version of a subscribed resource type, CareLoop's own writes included, as
 * {@code PUT {endpoint}/{type}/{id}} with {@code If-Match: W/"<version>"}, {@code application/fhir+json}, the
 * subscription's headers and the bare resource; a second after the change; a failed delivery retried for about a
 * minute (1 s, then 1.1 times longer each time), then dropped.
 */
final class RestHookNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestHookNotifier.class);
    private static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

    private final FhirContext fhir;
    private final String endpoint;
    private final Map<String, String> headers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService deliveries = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread thread = new Thread(work, "sandbox-fhir-rest-hook");
        thread.setDaemon(true);
        return thread;
    });

    RestHookNotifier(FhirContext fhir, String endpoint, Map<String, String> headers) {
        this.fhir = fhir;
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.headers = Map.copyOf(headers);
    }

    /** Schedules the delivery of this version. */
    void changed(DomainResource version) {
        String type = fhir.getResourceType(version);
        String body = fhir.newJsonParser().encodeResourceToString(version);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "/" + type + "/"
                + version.getIdElement().getIdPart())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/fhir+json; charset=UTF-8")
                .header("If-Match", "W/\"" + version.getMeta().getVersionId() + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        schedule(request.build(), FIRST_DELAY, Duration.ZERO);
    }

    private void schedule(HttpRequest request, Duration delay, Duration waited) {
        if (deliveries.isShutdown()) {
            return;
        }
        deliveries.schedule(() -> deliver(request, delay, waited.plus(delay)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deliver(HttpRequest request, Duration delay, Duration waited) {
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return;
            }
            LOG.debug("Sandbox rest-hook delivery answered {}", status);
        } catch (java.io.IOException refused) {
            LOG.debug("Sandbox rest-hook delivery failed: {}", refused.getClass().getSimpleName());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return;
        }
        if (waited.compareTo(GIVE_UP_AFTER) < 0) {
            schedule(request, Duration.ofMillis((long) (delay.toMillis() * 1.1)), waited);
        } else {
            LOG.warn("Sandbox FHIR server: a rest-hook delivery was dropped after a minute of failures, as HAPI FHIR "
                    + "JPA drops them");
        }
    }

    @Override
    public void close() {
        deliveries.shutdownNow();
    }
}
