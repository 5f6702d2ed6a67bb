package org.careloop.ops;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;

/** Path and query parameters of operator API requests, read strictly: anything malformed is a 400. */
final class Requests {

    private static final int MAX_LIMIT = 1000;

    private Requests() {
    }

    static long id(Exchange exchange) {
        long id = longHeader(exchange, "id", -1);
        if (id < 0) {
            throw new BadRequestException(400, "the id in the path must be a number");
        }
        return id;
    }

    static int limit(Exchange exchange) {
        long limit = longHeader(exchange, "limit", 100);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException(400, "limit must be between 1 and " + MAX_LIMIT);
        }
        return (int) limit;
    }

    static long longHeader(Exchange exchange, String name, long defaultValue) {
        String value = exchange.getMessage().getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(400, name + " must be a number, not '" + value + "'");
        }
    }

    /** The {@code state} query parameter, upper-cased, one of {@code allowed}. */
    static String state(Exchange exchange, String fallback, Set<String> allowed) {
        String state = exchange.getMessage().getHeader("state", fallback, String.class).trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(state)) {
            throw new BadRequestException(400, "state must be one of " + allowed);
        }
        return state;
    }

    /** The {@code patient} query parameter, the patient id as authority|value: required. */
    static String patient(Exchange exchange) {
        String patient = exchange.getMessage().getHeader("patient", "", String.class).trim();
        if (patient.isEmpty()) {
            throw new BadRequestException(400, "patient is required: the patient id as authority|value");
        }
        return patient;
    }
}
