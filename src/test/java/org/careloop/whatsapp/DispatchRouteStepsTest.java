package org.careloop.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.careloop.testing.EditedRoutes;
import org.careloop.testing.EngineTest;
import org.careloop.testing.Outboxes;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.junit.jupiter.api.Test;

/**
 * A step a team adds to the dispatch route (routes/whatsapp.yaml) before the send, in YAML: one that fails for a
 * message fails it alone. Its claim is not left behind: the message is held UNKNOWN with why (it may have been sent,
 * for all the consumer knows), and the messages around it are sent.
 */
class DispatchRouteStepsTest extends EngineTest {

    private static final String FAILING_STEP = """
                    # our site: a check that throws for one number
                    - filter:
                        simple: "${body.recipient()} == '+16175550150'"
                        steps:
                          - throwException:
                              exceptionType: java.lang.IllegalStateException
                              message: "the site's check failed"
            """;

    @Override
    protected Map<String, String> properties() {
        EditedRoutes routes = EditedRoutes.copyInto(dataDir.resolve("routes"))
                .insertAfter("whatsapp.yaml", "while the circuit is open\n      steps:\n", FAILING_STEP);
        return Map.of("camel.main.routes-include-pattern", routes.includePattern(),
                "careloop.whatsapp.sandbox.status-delay-ms", "50");
    }

    @Test
    void aSiteStepThatFailsForOneMessageHoldsItUnknownAndTheOthersAreSent() throws Exception {
        Outboxes outbox = Outboxes.of(engine);
        long before = outbox.planTemplate("k1", "+16175550149", "appointment_confirmation", Instant.now());
        long failing = outbox.planTemplate("k2", "+16175550150", "appointment_confirmation", Instant.now());
        long after = outbox.planTemplate("k3", "+16175550151", "appointment_confirmation", Instant.now());

        await().atMost(Duration.ofSeconds(15)).until(() -> outbox.state(failing) == OutboundState.UNKNOWN
                && outbox.state(before) == OutboundState.READ && outbox.state(after) == OutboundState.READ);
        assertThat(outbox.row(failing).stateReason()).isEqualTo("the route failed before the outcome was recorded: "
                + "IllegalStateException");
        assertThat(outbox.row(failing).claimToken()).isNull();
        assertThat(engine.bean("cloudApiSimulator", CloudApiSimulator.class).received()).extracting(Received::to)
                .containsExactlyInAnyOrder("16175550149", "16175550151");
    }
}
