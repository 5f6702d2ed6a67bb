package org.careloop.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.careloop.testing.EngineTest;
import org.careloop.testing.TestPorts;
import org.careloop.testing.Outboxes;
import org.careloop.whatsapp.outbox.OutboundMessage;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;
import org.junit.jupiter.api.Test;

/** When the Cloud API cannot be reached at all, nothing was sent: the message is planned again with backoff. */
class CloudApiUnreachableTest extends EngineTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.whatsapp.base-url", "http://127.0.0.1:" + TestPorts.next(),
                "careloop.whatsapp.retry.first-seconds", "60");
    }

    @Test
    void aRefusedConnectionIsRetriedLater() throws Exception {
        Outboxes outbox = Outboxes.of(engine);
        Instant before = Instant.now();

        long id = outbox.planTemplate("k1", "+16175550160", "appointment_reminder", before);

        await().atMost(Duration.ofSeconds(15)).until(() -> outbox.row(id).attempts() == 1
                && outbox.state(id) == OutboundState.PLANNED);
        OutboundMessage row = outbox.row(id);
        assertThat(row.stateReason()).startsWith("not sent: ");
        assertThat(row.wamid()).isNull();
        assertThat(count("SELECT COUNT(*) FROM wa_outbound WHERE id = ? AND next_attempt_at > ?", id,
                Timestamp.from(Instant.now().plusSeconds(40)))).isEqualTo(1);
    }
}
