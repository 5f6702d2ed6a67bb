package org.careloop.fhir.subscription;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * One FHIR subscription CareLoop answers, at {@code /fhir/subscriptions/{id}}.
 *
 * @param header   where the server puts the shared secret ({@code channel.header}): {@code Authorization}, then
 *                 as {@code Bearer <secret>}, or a header of the site's choosing carrying the secret as is
 * @param secret   the shared secret, or null when none is configured (every delivery is then refused)
 * @param criteria what a catch-up search asks for: a notification without content, a gap in event numbers, the
 *                 periodic reconciliation ({@code Appointment?status=booked,cancelled,noshow})
 */
public record Subscription(String id, String header, String secret, String criteria) {

    /** The resources CareLoop turns into events: appointments, patients, stays, results, medication orders. */
    public static final Set<String> RESOURCE_TYPES = Set.of("Appointment", "Patient", "Encounter",
            "DiagnosticReport", "MedicationRequest");

    /** Whether the request's header value carries the secret (compared in constant time). */
    public boolean accepts(String headerValue) {
        if (secret == null || headerValue == null) {
            return false;
        }
        String presented = "Authorization".equalsIgnoreCase(header)
                ? headerValue.regionMatches(true, 0, "Bearer ", 0, 7) ? headerValue.substring(7).trim() : ""
                : headerValue.trim();
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The value a server puts in {@link #header} to present the secret. */
    public String headerValue() {
        return "Authorization".equalsIgnoreCase(header) ? "Bearer " + secret : secret;
    }

    /** The same subscription with this secret. */
    public Subscription withSecret(String secret) {
        return new Subscription(id, header, secret, criteria);
    }

    /** The resource type the criteria search ("Appointment"). */
    public String criteriaType() {
        int query = criteria.indexOf('?');
        return query < 0 ? criteria : criteria.substring(0, query);
    }
}
