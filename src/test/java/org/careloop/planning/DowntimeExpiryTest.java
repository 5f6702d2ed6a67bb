package org.careloop.planning;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.careloop.store.Reads;
import org.careloop.testing.EngineTest;
import org.careloop.testing.MutableClock;
import org.careloop.testing.Siu;
import org.junit.jupiter.api.Test;

/**
 * After downtime, a message whose moment has passed is sent late only while its appointment is more than the late
 * margin (2 h) away; otherwise it expires. The engine plans while sending is off, then the clock moves on as if the
 * engine had been down, and sending starts.
 */
class DowntimeExpiryTest extends EngineTest {

    /** The appointment: Monday 14 December 2026, 09:30 in New York. */
    private static final Instant APPOINTMENT = Instant.parse("2026-12-14T14:30:00Z");
    private static final String SUBJECT = "appointment:EPIC|A500";

    private final MutableClock clock = new MutableClock(APPOINTMENT.minus(Duration.ofHours(72)));

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.whatsapp.dispatch.enabled", "false");
    }

    @Test
    void lateMessagesGoOutOnlyWhileTheAppointmentIsFarEnoughAway() throws Exception {
        String body = "{\"patient\":\"EPI|E500\",\"phone\":\"+16175550126\",\"status\":\"opt-in\"}";
        assertStatus(http("POST", "/api/consent", API_TOKEN, body.getBytes(StandardCharsets.UTF_8)), 200);
        assertThat(send(new Siu("A500", "E500", "+16175550126", "ENG").booked("c1", "202612140930")).code())
                .isEqualTo("AA");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM wa_outbound") == 3);

        clock.set(APPOINTMENT.minus(Duration.ofHours(30)));
        engine.camelContext().getRouteController().startRoute("whatsapp-dispatch");

        await().atMost(Duration.ofSeconds(15)).until(() -> state("appointment-reminder|" + SUBJECT + "|start-48h")
                .matches("SENT|DELIVERED|READ"));
        assertThat(state("booking-confirmation|" + SUBJECT + "|now"))
                .as("a confirmation a day late is not worth sending").isEqualTo("EXPIRED");
        assertThat(state("appointment-reminder|" + SUBJECT + "|start-24h")).isEqualTo("PLANNED");

        clock.set(APPOINTMENT.minus(Duration.ofHours(1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> state("appointment-reminder|" + SUBJECT + "|start-24h")
                .equals("EXPIRED"));
        assertThat(Reads.first(store(), "SELECT state_reason FROM wa_outbound WHERE idempotency_key = ?",
                row -> row.getString(1), "appointment-reminder|" + SUBJECT + "|start-24h").orElseThrow())
                .isEqualTo("its moment passed and the appointment is now too close to send it late");
    }

    private String state(String key) throws Exception {
        return Reads.first(store(), "SELECT state FROM wa_outbound WHERE idempotency_key = ?",
                row -> row.getString(1), key).orElseThrow();
    }
}
