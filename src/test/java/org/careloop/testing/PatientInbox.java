package org.careloop.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.careloop.app.CareLoopEngine;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;

/** What patients received, as the engine's WhatsApp simulator accepted it (it also lists what it refused). */
public final class PatientInbox {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final CareLoopEngine engine;

    public PatientInbox(CareLoopEngine engine) {
        this.engine = engine;
    }

    /** Every message accepted, in the order it arrived. */
    public List<Received> accepted() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class).received().stream()
                .filter(r -> r.errorCode() == 0).toList();
    }

    public void awaitAccepted(int count) {
        await().atMost(WAIT).until(() -> accepted().size() >= count);
    }

    /** Each message as {@link #describe} writes it, in order. */
    public List<String> described() {
        return accepted().stream().map(PatientInbox::describe).toList();
    }

    /** A template's body parameters, in order. */
    public static List<String> parameters(Received received) {
        for (JsonNode component : request(received).path("template").path("components")) {
            if ("body".equals(component.path("type").asText())) {
                return component.path("parameters").findValuesAsText("text");
            }
        }
        return List.of();
    }

    /** "template p1|p2", "text body", or "buttons body [title1|title2]" for a message with reply buttons. */
    private static String describe(Received received) {
        JsonNode request = request(received);
        if ("interactive".equals(request.path("type").asText())) {
            return "buttons " + request.path("interactive").path("body").path("text").asText() + " ["
                    + String.join("|", request.path("interactive").path("action").findValuesAsText("title")) + "]";
        }
        return received.template() == null ? "text " + request.path("text").path("body").asText()
                : received.template() + " " + String.join("|", parameters(received));
    }

    private static JsonNode request(Received received) {
        try {
            return JSON.readTree(received.request());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
