package org.careloop.whatsapp.outbox;

import java.time.Instant;

/**
 * A message to plan.
 *
 * @param idempotencyKey (mapping, subject, slot), e.g. "reminder-24h|EPIC|36996|start-24h": planning it again finds
 *                       the same row
 * @param messageType    "template" or "text"
 */
public record NewOutbound(String idempotencyKey, String recipient, String messageType, String templateName,
        String templateLanguage, String requestJson, Instant dueAt) {
}
