package org.careloop.fhir.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.careloop.fhir.subscription.FhirDeliveries.Kind;
import org.careloop.store.StoreFailures;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription endpoints, {@code /fhir/subscriptions/{subscription}}, in every shape FHIR servers deliver:
 *
 * <ul>
 *   <li>{@code PUT .../{type}/{id}} ({@link Subscription#RESOURCE_TYPES}): an R4 rest-hook with payload, as HAPI
 *       FHIR JPA sends it (the bare resource, If-Match, {@code application/fhir+json}); {@code DELETE} likewise;</li>
 *   <li>{@code POST ...} with an empty body: an R4 rest-hook without payload (search for what changed);</li>
 *   <li>{@code POST ...} with a Bundle: a topic-based notification (R4 Backport, R4B, R5).</li>
 * </ul>
 *
 * Each is checked (the shared secret: 401; size: 413; JSON: 415 for XML; shape: 400 with an OperationOutcome naming
 * the problem), stored, and only then answered 200; nothing is stored for a refused request. The work happens after,
 * from the store ({@link FhirDeliveryToCareEvents}).
 */
public final class FhirSubscriptionIntake {

    private static final Logger LOG = LoggerFactory.getLogger(FhirSubscriptionIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request refused with its status and the OperationOutcome's code and text. */
    private static final class Refused extends Exception {
        private final int status;
        private final String code;

        Refused(int status, String code, String diagnostics) {
            super(diagnostics);
            this.status = status;
            this.code = code;
        }
    }

    private final Map<String, Subscription> subscriptions;
    private final FhirDeliveries deliveries;
    private final FhirContext fhir;
    private final int maxBytes;
    private final Clock clock;

    public FhirSubscriptionIntake(Map<String, Subscription> subscriptions, FhirDeliveries deliveries, FhirContext fhir,
            int maxBytes, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.fhir = fhir;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** PUT {subscription}/{type}/{id}: the resource itself. */
    public void put(Exchange exchange) {
        handle(exchange, () -> {
            Subscription subscription = admitted(exchange);
            String type = resourceType(exchange);
            String id = exchange.getMessage().getHeader("id", String.class);
            String body = body(exchange);
            IBaseResource resource;
            try {
                resource = fhir.newJsonParser().parseResource(body);
            } catch (DataFormatException e) {
                throw new Refused(400, "invalid", "the body is not a FHIR JSON resource: " + e.getMessage());
            }
            if (!type.equals(fhir.getResourceType(resource))) {
                throw new Refused(400, "invalid", "the body is a " + fhir.getResourceType(resource)
                        + ", the path names a " + type);
            }
            if (resource.getIdElement().hasIdPart() && !resource.getIdElement().getIdPart().equals(id)) {
                throw new Refused(400, "invalid", "the body's id is " + resource.getIdElement().getIdPart()
                        + ", the path's " + id);
            }
            String version = resource.getMeta().getVersionId() != null ? resource.getMeta().getVersionId()
                    : versionFromIfMatch(exchange);
            return store(subscription, Kind.RESOURCE, type, id, version, body);
        });
    }

    /** DELETE {subscription}/{type}/{id}: recorded; a deletion plans nothing (a cancellation does). */
    public void delete(Exchange exchange) {
        handle(exchange, () -> store(admitted(exchange), Kind.DELETE, resourceType(exchange),
                exchange.getMessage().getHeader("id", String.class), null, null));
    }

    /** POST {subscription}: empty (search for the change) or a notification Bundle. */
    public void post(Exchange exchange) {
        handle(exchange, () -> {
            Subscription subscription = admitted(exchange);
            String body = body(exchange);
            if (body.isBlank()) {
                return store(subscription, Kind.PING, null, null, null, null);
            }
            JsonNode bundle;
            try {
                bundle = JSON.readTree(body);
            } catch (IOException e) {
                throw new Refused(400, "invalid", "the body is not JSON");
            }
            try {
                NotificationBundle.parse(bundle);
            } catch (IllegalArgumentException e) {
                throw new Refused(400, "invalid", e.getMessage());
            }
            return store(subscription, Kind.BUNDLE, null, null, null, body);
        });
    }

    @FunctionalInterface
    private interface Handling {
        String run() throws Refused;
    }

    private void handle(Exchange exchange, Handling handling) {
        String subscription = exchange.getMessage().getHeader("subscription", String.class);
        try {
            String outcome = handling.run();
            answer(exchange, 200, "information", "informational", outcome);
        } catch (Refused refused) {
            LOG.warn("Refused a delivery for FHIR subscription '{}': HTTP {} {}", subscription, refused.status,
                    refused.code);
            answer(exchange, refused.status, "error", refused.code, refused.getMessage());
        }
    }

    private Subscription admitted(Exchange exchange) throws Refused {
        String id = exchange.getMessage().getHeader("subscription", String.class);
        Subscription subscription = subscriptions.get(id);
        if (subscription == null) {
            throw new Refused(404, "not-found", "no subscription '" + id + "' is configured here");
        }
        if (!subscription.accepts(exchange.getMessage().getHeader(subscription.header(), String.class))) {
            throw new Refused(401, "security", subscription.secret() == null
                    ? "this subscription has no secret configured, so CareLoop accepts nothing on it"
                    : "missing or wrong " + subscription.header() + " header");
        }
        Long length = exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (length != null && length > maxBytes) {
            throw new Refused(413, "too-costly", "the body is larger than " + maxBytes + " bytes");
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (contentType.contains("xml")) {
            throw new Refused(415, "not-supported", "CareLoop takes FHIR JSON: set the Subscription's payload to "
                    + "application/fhir+json");
        }
        return subscription;
    }

    private String body(Exchange exchange) throws Refused {
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        if (bytes != null && bytes.length > maxBytes) {
            throw new Refused(413, "too-costly", "the body is larger than " + maxBytes + " bytes");
        }
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String resourceType(Exchange exchange) throws Refused {
        String type = exchange.getMessage().getHeader("type", String.class);
        if (!Subscription.RESOURCE_TYPES.contains(type)) {
            throw new Refused(400, "not-supported", "CareLoop subscribes to "
                    + new TreeSet<>(Subscription.RESOURCE_TYPES) + ", not " + type);
        }
        return type;
    }

    /** HAPI FHIR JPA sends {@code If-Match: W/"3"} with the resource. */
    private static String versionFromIfMatch(Exchange exchange) {
        String ifMatch = exchange.getMessage().getHeader("If-Match", String.class);
        return ifMatch == null ? null : ifMatch.replaceAll("^W/", "").replace("\"", "").trim();
    }

    private String store(Subscription subscription, Kind kind, String type, String id, String version, String body)
            throws Refused {
        try {
            boolean isNew = deliveries.store(subscription.id(), kind, type, id, version, body, clock.instant())
                    .get(10, TimeUnit.SECONDS);
            return isNew ? "stored" : "already stored";
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not store a delivery for FHIR subscription '{}': {}", subscription.id(),
                    StoreFailures.describe(e));
            throw new Refused(503, "transient", "CareLoop could not store the delivery; send it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "transient", "CareLoop is stopping; send it again");
        }
    }

    private static void answer(Exchange exchange, int status, String severity, String code, String diagnostics) {
        ObjectNode outcome = JSON.createObjectNode().put("resourceType", "OperationOutcome");
        outcome.putArray("issue").addObject().put("severity", severity).put("code", code)
                .put("diagnostics", diagnostics);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/fhir+json");
        exchange.getMessage().setBody(outcome.toString());
    }
}
