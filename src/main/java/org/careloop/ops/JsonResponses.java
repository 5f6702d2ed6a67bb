package org.careloop.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Exchange;
import org.careloop.event.EventJson;

/** Writes HTTP responses as JSON; errors as {@code {"error": "...", "status": 400}}. */
final class JsonResponses {

    private static final ObjectMapper JSON = EventJson.mapper();

    private JsonResponses() {
    }

    static void ok(Exchange exchange, Object body) {
        respond(exchange, 200, body);
    }

    static void error(Exchange exchange, int status, String message) {
        respond(exchange, status, Map.of("status", status, "error", message));
    }

    /**
     * Sets the response: status, JSON content type, body, and no other header. platform-http copies every message
     * header into the response, and the request's headers (Authorization, query parameters, form fields) must not
     * echo back.
     */
    static void respond(Exchange exchange, int status, Object body) {
        exchange.getMessage().removeHeaders("*");
        try {
            exchange.getMessage().setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response could not be written as JSON", e);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
