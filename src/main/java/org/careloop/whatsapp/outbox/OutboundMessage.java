package org.careloop.whatsapp.outbox;

import java.time.Instant;

/** A row of the outbox. {@code requestJson} is the Cloud API request as it will be posted. */
public record OutboundMessage(long id, String idempotencyKey, String recipient, String messageType,
        String templateName, String templateLanguage, String requestJson, Instant dueAt, OutboundState state,
        int attempts, String claimToken, String wamid, Integer errorCode, String stateReason) {
}
