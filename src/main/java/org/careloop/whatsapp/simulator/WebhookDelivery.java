package org.careloop.whatsapp.simulator;

import java.time.Instant;

/** One webhook POST the simulator made to the engine: when, the body, and the HTTP status it got (0: no answer). */
public record WebhookDelivery(Instant at, String body, int status) {
}
