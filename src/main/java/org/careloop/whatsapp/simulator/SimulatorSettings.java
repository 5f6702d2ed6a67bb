package org.careloop.whatsapp.simulator;

import java.time.Duration;
import org.careloop.whatsapp.catalog.TemplateCatalog;

/**
 * How the simulated Cloud API behaves.
 *
 * @param webhookUrl        where status and reply webhooks go (the engine's webhook endpoint), or "" for none
 * @param messagesPerSecond the per-number throughput limit (80 by default, 1,000 after Meta's upgrade): 130429 beyond
 * @param pairInterval      at most one message per recipient in this interval: 131056 beyond
 * @param statusDelay       time from acceptance to the "sent" webhook; "delivered" and "read" follow at this interval
 */
public record SimulatorSettings(String host, int port, String accessToken, String appSecret, String phoneNumberId,
        String businessAccountId, String webhookUrl, TemplateCatalog catalog, double messagesPerSecond,
        Duration pairInterval, Duration statusDelay) {
}
