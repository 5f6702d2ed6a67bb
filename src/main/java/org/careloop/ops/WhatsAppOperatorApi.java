package org.careloop.ops;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.careloop.whatsapp.dispatch.SendGuards;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;

/**
 * What operators do about WhatsApp through {@code /api/whatsapp}: see the outbox, resend a message whose outcome is
 * unknown, close the circuit once the cause is fixed, and resume a paused template.
 */
public final class WhatsAppOperatorApi {

    private final Outbox outbox;
    private final SendGuards guards;
    private final Clock clock;

    public WhatsAppOperatorApi(Outbox outbox, SendGuards guards, Clock clock) {
        this.outbox = outbox;
        this.guards = guards;
        this.clock = clock;
    }

    /** GET /api/whatsapp/status: the circuit and the paused templates. */
    public void status(Exchange exchange) throws SQLException {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("circuitOpen", guards.circuit().isPresent());
        guards.circuit().ifPresent(circuit -> status.put("circuit", circuit));
        status.put("pausedTemplates", guards.pausedTemplates());
        JsonResponses.ok(exchange, status);
    }

    /** GET /api/whatsapp/outbound?state=UNKNOWN&amp;limit=100 */
    public void listOutbound(Exchange exchange) throws SQLException {
        String state = exchange.getMessage().getHeader("state", "UNKNOWN", String.class);
        OutboundState parsed;
        try {
            parsed = OutboundState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(400, "state must be one of " + java.util.Arrays.toString(OutboundState.values()));
        }
        JsonResponses.ok(exchange, outbox.list(parsed, Requests.limit(exchange)));
    }

    /** GET /api/whatsapp/outbound/{id} */
    public void outbound(Exchange exchange) throws SQLException {
        long id = Requests.id(exchange);
        JsonResponses.ok(exchange, outbox.find(id)
                .orElseThrow(() -> new BadRequestException(404, "no outbound message " + id)));
    }

    /** POST /api/whatsapp/outbound/{id}/resend: an UNKNOWN or FAILED message is planned again, now. */
    public void resend(Exchange exchange) {
        long id = Requests.id(exchange);
        if (!StoreCalls.await(outbox.resend(id, clock.instant()))) {
            throw new BadRequestException(409, "outbound message " + id + " does not exist or is not UNKNOWN or FAILED");
        }
        JsonResponses.ok(exchange, Map.of("id", id, "state", OutboundState.PLANNED));
    }

    /** POST /api/whatsapp/circuit/close: sending resumes. */
    public void closeCircuit(Exchange exchange) {
        JsonResponses.ok(exchange, Map.of("wasOpen", StoreCalls.await(guards.closeCircuit())));
    }

    /** POST /api/whatsapp/templates/{name}/{language}/resume ("*" for every language). */
    public void resumeTemplate(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        String language = exchange.getMessage().getHeader("language", String.class);
        JsonResponses.ok(exchange, Map.of("resumed", StoreCalls.await(guards.resumeTemplate(name, language))));
    }
}
