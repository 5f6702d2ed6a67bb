package org.careloop.whatsapp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/**
 * Sends requests to the Cloud API {@code /messages} endpoint through the {@code whatsapp-cloud-api} route (camel-http)
 * and reads the answer: the wamid, or the error by its code. Distinguishes a request that never left (safe to send
 * again) from one that left and got no answer (outcome unknown: sending again could reach the patient twice).
 *
 * <p>The access token is set as a header here and is never logged.
 */
public final class CloudApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate producer;
    private final String endpoint;
    private final String token;

    /** @param endpoint the route that posts to {base}/{version}/{phone-number-id}/messages */
    public CloudApiClient(ProducerTemplate producer, String endpoint, String token) {
        this.producer = producer;
        this.endpoint = endpoint;
        this.token = token;
    }

    public SendOutcome send(String requestJson) {
        Exchange reply = producer.send(endpoint, ExchangePattern.InOut, exchange -> {
            exchange.getMessage().setBody(requestJson);
            exchange.getMessage().setHeader("Authorization", "Bearer " + token);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        });
        if (reply.getException() != null) {
            return failedToExchange(reply.getException());
        }
        int status = reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = reply.getMessage().getBody(String.class);
        return answer(status, body);
    }

    static SendOutcome answer(int status, String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException notJson) {
            json = JSON.nullNode();
        }
        String wamid = json.path("messages").path(0).path("id").asText("");
        if (status >= 200 && status < 300 && !wamid.isEmpty()) {
            return new SendOutcome.Accepted(wamid);
        }
        JsonNode error = json.path("error");
        if (error.has("code")) {
            int code = error.path("code").asInt();
            return new SendOutcome.Refused(status, code, error.path("message").asText(""), ErrorClass.of(code));
        }
        // an answer without a usable error (a proxy's 502 page, say): the request did arrive somewhere
        return status >= 500 ? new SendOutcome.Refused(status, -1, "HTTP " + status + " without an error body",
                ErrorClass.RETRY) : new SendOutcome.Refused(status, -1, "HTTP " + status + " without an error body",
                ErrorClass.MESSAGE_FAILED);
    }

    private static SendOutcome failedToExchange(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException
                    || t instanceof ConnectionRequestTimeoutException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new SendOutcome.NotSent(t.getClass().getSimpleName());
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new SendOutcome.OutcomeUnknown(root.getClass().getSimpleName());
    }
}
