package org.careloop.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Exchange;
import org.careloop.event.EventJson;

/**
 * Sets HTTP responses: a handler's answer as the typed object that the REST binding (bindingMode json, in
 * routes/operator-api.yaml) writes as JSON; errors as {@code {"error": "...", "status": 400}}, written here, since the
 * binding leaves answers of 300 and above as they are.
 */
final class JsonResponses {

    private static final ObjectMapper JSON = EventJson.mapper();

    private JsonResponses() {
    }

    /** 200 with the answer, which the REST binding writes as JSON. */
    static void ok(Exchange exchange, Object body) {
        respond(exchange, 200, body);
    }

    /** 200 with the answer written as JSON here: for a verb whose request is not JSON, so its binding is off. */
    static void okWritten(Exchange exchange, Object body) {
        respond(exchange, 200, json(body));
    }

    static void error(Exchange exchange, int status, String message) {
        respond(exchange, status, json(Map.of("status", status, "error", message)));
    }

    /**
     * Sets the response: status, JSON content type, body, and no other header. platform-http copies every message
     * header into the response, and the request's headers (Authorization, query parameters, form fields) must not
     * echo back.
     */
    private static void respond(Exchange exchange, int status, Object body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response could not be written as JSON", e);
        }
    }
}
