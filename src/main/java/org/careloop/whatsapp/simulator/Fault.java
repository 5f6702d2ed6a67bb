package org.careloop.whatsapp.simulator;

import java.time.Instant;

/**
 * What the simulator should do wrong, for which messages. A fault with no recipient and no template applies to every
 * message; {@code from}/{@code until} bound it in time; {@code remaining} is how many messages it applies to
 * (0 or less: all of them, until the faults are cleared).
 *
 * @param errorCode      answer with this Cloud API error code (synchronously), or null
 * @param httpStatus     the HTTP status for that error (400 by default), or alone: a 5xx with no error body
 * @param latencyMinMs   added latency, drawn between min and max
 * @param hang           accept the request and never answer
 * @param asyncErrorCode accept the message, then report it failed with this code in a status webhook
 * @param statusOrder    the statuses to call back with, in this order (e.g. "sent,read,delivered"), or null
 */
public record Fault(String recipient, String template, Instant from, Instant until, Integer errorCode,
        Integer httpStatus, long latencyMinMs, long latencyMaxMs, boolean hang, Integer asyncErrorCode,
        String statusOrder, int remaining) {

    boolean appliesTo(String to, String templateName, Instant now) {
        return (recipient == null || recipient.replace("+", "").equals(to.replace("+", "")))
                && (template == null || template.equals(templateName))
                && (from == null || !now.isBefore(from))
                && (until == null || now.isBefore(until));
    }
}
