package org.careloop.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.careloop.testing.EngineTest;
import org.careloop.testing.Outboxes;
import org.careloop.whatsapp.outbox.OutboundMessage;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.junit.jupiter.api.Test;

/**
 * Claiming: no row is claimed twice, and a row claimed when the engine stopped (as after a crash between the claim
 * and the answer) is held as UNKNOWN, or sent again under the resend policy. The dispatch route is off here; the
 * claims are made the way the dispatcher makes them.
 */
class OutboxClaimTest extends EngineTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.whatsapp.dispatch.enabled", "false");
    }

    @Test
    void concurrentClaimersNeverGetTheSameRow() throws Exception {
        Outboxes outboxes = Outboxes.of(engine);
        for (int i = 0; i < 60; i++) {
            outboxes.planTemplate("claim-" + i, "+1617555" + String.format("%04d", i), "appointment_reminder",
                    Instant.now());
        }
        Outbox outbox = outboxes.outbox();
        ExecutorService claimers = Executors.newFixedThreadPool(4);
        List<Callable<List<OutboundMessage>>> claims = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String token = "claimer-" + c;
            claims.add(() -> outbox.claimDue(Instant.now(), 10, token).get(10, TimeUnit.SECONDS));
        }
        List<Long> claimed = new ArrayList<>();
        for (Future<List<OutboundMessage>> result : claimers.invokeAll(claims)) {
            result.get().forEach(m -> claimed.add(m.id()));
        }
        claimers.shutdown();

        Set<Long> distinct = new HashSet<>(claimed);
        assertThat(distinct).hasSize(claimed.size()).hasSize(60);
        assertThat(count("SELECT COUNT(*) FROM wa_outbound WHERE state = 'CLAIMED'")).isEqualTo(60);
    }

    @Test
    void aRowClaimedWhenTheEngineStoppedIsHeldAsUnknownNotSentAgain() throws Exception {
        long id = claimOneAndStop("held");

        engine = startEngine(Map.of("careloop.whatsapp.dispatch.enabled", "true"));

        Outboxes outboxes = Outboxes.of(engine);
        assertThat(outboxes.state(id)).isEqualTo(OutboundState.UNKNOWN);
        assertThat(outboxes.row(id).stateReason()).isEqualTo("claimed when the engine stopped: it may have been sent");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() ->
                engine.bean("cloudApiSimulator", CloudApiSimulator.class).received().isEmpty());
    }

    @Test
    void underTheResendPolicyARowClaimedWhenTheEngineStoppedIsSentAgain() throws Exception {
        long id = claimOneAndStop("resent");

        engine = startEngine(Map.of("careloop.whatsapp.dispatch.enabled", "true",
                "careloop.whatsapp.outcome-unknown", "resend"));

        Outboxes outboxes = Outboxes.of(engine);
        await().atMost(Duration.ofSeconds(15)).until(() -> outboxes.state(id) == OutboundState.READ);
        assertThat(engine.bean("cloudApiSimulator", CloudApiSimulator.class).received()).hasSize(1);
    }

    /** Claims a row as a dispatcher would, then stops the engine before any outcome is recorded. */
    private long claimOneAndStop(String key) throws Exception {
        Outboxes outboxes = Outboxes.of(engine);
        long id = outboxes.planTemplate(key, "+16175550150", "appointment_reminder", Instant.now());
        assertThat(outboxes.outbox().claimDue(Instant.now(), 10, "dispatcher-before-the-crash")
                .get(10, TimeUnit.SECONDS)).extracting(OutboundMessage::id).containsExactly(id);
        engine.close();
        return id;
    }
}
