package org.careloop.whatsapp.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.careloop.store.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WhatsApp webhook endpoint. GET answers Meta's subscription check. POST checks the signature over the raw bytes
 * (missing: 401, wrong: 403, nothing stored), refuses bodies that are too large (413) or not JSON (400), stores the
 * body, and only then answers 200; the batch is processed afterwards from the store ({@link WebhookProcessor}).
 */
public final class WebhookIntake {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSignature signature;
    private final byte[] verifyToken;
    private final WebhookInbox inbox;
    private final int maxBytes;
    private final Clock clock;

    public WebhookIntake(WebhookSignature signature, String verifyToken, WebhookInbox inbox, int maxBytes,
            Clock clock) {
        this.signature = signature;
        this.verifyToken = verifyToken.getBytes(StandardCharsets.UTF_8);
        this.inbox = inbox;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** GET ?hub.mode=subscribe&amp;hub.verify_token=T&amp;hub.challenge=C: 200 with C when T matches, else 403. */
    public void verify(Exchange exchange) {
        String mode = exchange.getMessage().getHeader("hub.mode", String.class);
        String token = exchange.getMessage().getHeader("hub.verify_token", String.class);
        String challenge = exchange.getMessage().getHeader("hub.challenge", String.class);
        boolean valid = "subscribe".equals(mode) && token != null && challenge != null
                && MessageDigest.isEqual(verifyToken, token.getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, valid ? 200 : 403);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
        exchange.getMessage().setBody(valid ? challenge : "verification failed");
    }

    /** POST: signature, size, JSON, store, then 200. */
    public void receive(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String header = exchange.getMessage().getHeader("X-Hub-Signature-256", String.class);
        if (body == null) {
            body = new byte[0];
        }
        if (header == null) {
            answer(exchange, 401, "missing X-Hub-Signature-256");
        } else if (!signature.matches(body, header)) {
            LOG.warn("Refused a WhatsApp webhook of {} bytes: the signature does not match", body.length);
            answer(exchange, 403, "signature does not match");
        } else if (body.length > maxBytes) {
            answer(exchange, 413, "body larger than " + maxBytes + " bytes");
        } else if (!isJsonObject(body)) {
            LOG.warn("Refused a signed WhatsApp webhook of {} bytes: not a JSON object", body.length);
            answer(exchange, 400, "body is not a JSON object");
        } else {
            store(exchange, body);
        }
    }

    private void store(Exchange exchange, byte[] body) {
        try {
            boolean isNew = inbox.store(body, clock.instant()).get(10, TimeUnit.SECONDS);
            LOG.debug("WhatsApp webhook of {} bytes {}", body.length, isNew ? "stored" : "already stored");
            answer(exchange, 200, null);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("Could not store a WhatsApp webhook ({}); answering 503 so that Meta sends it again",
                    StoreFailures.describe(e));
            answer(exchange, 503, "could not be stored; send it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(exchange, 503, "could not be stored; send it again");
        }
    }

    private static boolean isJsonObject(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            return root != null && root.isObject();
        } catch (IOException malformed) {
            return false;
        }
    }

    private static void answer(Exchange exchange, int status, String error) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(error == null ? "{\"status\":\"received\"}"
                : JSON.createObjectNode().put("status", status).put("error", error).toString());
    }
}
