package org.careloop.whatsapp.simulator;

import java.time.Instant;

/**
 * A request the simulator received, and what it answered: a wamid, or an error code (0 when accepted).
 *
 * @param request the request body as received
 */
public record Received(Instant at, String path, String to, String template, String language, String request,
        int httpStatus, int errorCode, String wamid) {
}
