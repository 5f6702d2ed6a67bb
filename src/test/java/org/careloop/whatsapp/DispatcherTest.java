package org.careloop.whatsapp;

import static org.careloop.testing.HttpAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.store.Reads;
import org.careloop.testing.EngineTest;
import org.careloop.testing.Outboxes;
import org.careloop.whatsapp.outbox.OutboundMessage;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Fault;
import org.careloop.whatsapp.simulator.Received;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher sending to the sandbox simulator over real HTTP, and what each kind of answer does to the outbox.
 */
class DispatcherTest extends EngineTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final ObjectMapper json = new ObjectMapper();
    private Outboxes outbox;
    private CloudApiSimulator simulator;

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.whatsapp.pair-interval-seconds", "2",
                "careloop.whatsapp.retry.first-seconds", "1",
                "careloop.whatsapp.sandbox.status-delay-ms", "50",
                "careloop.whatsapp.dispatch.idle-poll-ms", "50",
                "camel.component.http.response-timeout", "1500",
                "camel.component.http.so-timeout", "1500");
    }

    @BeforeEach
    void beans() {
        outbox = Outboxes.of(engine);
        simulator = engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }

    @Test
    void sendsADueTemplateAsTheCloudApiExpectsAndFollowsItsStatusesToRead() throws Exception {
        long id = outbox.planTemplate("confirm|EPIC|36996", "+16175550123", "appointment_confirmation", Instant.now());

        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.READ);
        Received sent = simulator.received().get(0);
        JsonNode request = json.readTree(sent.request());
        assertThat(request.path("to").asText()).isEqualTo("16175550123");
        assertThat(request.path("type").asText()).isEqualTo("template");
        assertThat(request.path("biz_opaque_callback_data").asText()).isEqualTo("careloop:" + id);
        assertThat(request.path("template").path("name").asText()).isEqualTo("appointment_confirmation");
        assertThat(request.path("template").path("language").path("code").asText()).isEqualTo("en_US");
        assertThat(request.path("template").path("language").path("policy").asText()).isEqualTo("deterministic");
        assertThat(request.path("template").path("components").path(0).path("parameters")).hasSize(3);
        assertThat(request.path("template").path("components").path(1).path("sub_type").asText())
                .isEqualTo("quick_reply");
        assertThat(request.path("template").path("components").path(1).path("parameters").path(0).path("payload")
                .asText()).isEqualTo("CONFIRM:confirm|EPIC|36996");
        OutboundMessage row = outbox.row(id);
        assertThat(row.wamid()).isEqualTo(sent.wamid());
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(timestamps(id)).doesNotContainNull();
    }

    @Test
    void planningTheSameKeyAgainFindsTheSameRowAndSendsOnce() throws Exception {
        long first = outbox.planTemplate("reminder-24h|EPIC|1", "+16175550124", "appointment_reminder", Instant.now());
        long again = outbox.planTemplate("reminder-24h|EPIC|1", "+16175550124", "appointment_reminder", Instant.now());

        assertThat(again).isEqualTo(first);
        await().atMost(WAIT).until(() -> outbox.state(first) == OutboundState.READ);
        assertThat(simulator.received()).hasSize(1);
    }

    @Test
    void aTransientErrorIsRetriedWithBackoff() throws Exception {
        simulator.addFault(fault("+16175550125", null, 130429, 429));

        long id = outbox.planTemplate("k1", "+16175550125", "appointment_reminder", Instant.now());

        await().atMost(WAIT).until(() -> outbox.row(id).errorCode() != null);
        assertThat(outbox.state(id)).isEqualTo(OutboundState.PLANNED);
        assertThat(outbox.row(id).errorCode()).isEqualTo(130429);
        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.READ);
        assertThat(outbox.row(id).attempts()).isEqualTo(2);
        assertThat(simulator.received()).extracting(Received::errorCode).containsExactly(130429, 0);
    }

    @Test
    void aServerErrorWithoutAnErrorBodyIsRetried() throws Exception {
        simulator.addFault(new Fault("+16175550126", null, null, null, null, 503, 0, 0, false, null, null, 1));

        long id = outbox.planTemplate("k2", "+16175550126", "appointment_reminder", Instant.now());

        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.READ);
        assertThat(outbox.row(id).attempts()).isEqualTo(2);
    }

    @Test
    void thePairLimitErrorBacksOffThatRecipient() throws Exception {
        simulator.addFault(fault("+16175550127", null, 131056, 400));

        long id = outbox.planTemplate("k3", "+16175550127", "appointment_reminder", Instant.now());

        await().atMost(WAIT).until(() -> outbox.row(id).errorCode() != null);
        assertThat(outbox.row(id).errorCode()).isEqualTo(131056);
        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.READ);
        List<Received> received = simulator.received();
        assertThat(Duration.between(received.get(0).at(), received.get(1).at())).isGreaterThanOrEqualTo(
                Duration.ofMillis(900));
    }

    @Test
    void anUnreachableNumberFailsAndNothingMoreIsSentToIt() throws Exception {
        simulator.addFault(fault("+16175550128", null, 131026, 400));

        long first = outbox.planTemplate("k4", "+16175550128", "appointment_reminder", Instant.now());
        long later = outbox.planTemplate("k5", "+16175550128", "appointment_reminder", Instant.now().plusSeconds(3600));

        await().atMost(WAIT).until(() -> outbox.state(first) == OutboundState.FAILED);
        assertThat(outbox.row(first).errorCode()).isEqualTo(131026);
        assertThat(outbox.state(later)).isEqualTo(OutboundState.SUPPRESSED);
        long planned = outbox.planTemplate("k6", "+16175550128", "appointment_reminder", Instant.now());
        assertThat(outbox.state(planned)).isEqualTo(OutboundState.SUPPRESSED);
        assertThat(simulator.received()).hasSize(1);
    }

    @Test
    void aTemplateErrorPausesTheTemplateUntilAnOperatorResumesIt() throws Exception {
        simulator.addFault(fault(null, "appointment_reminder", 132001, 404));

        long first = outbox.planTemplate("k7", "+16175550129", "appointment_reminder", Instant.now());
        await().atMost(WAIT).until(() -> outbox.state(first) == OutboundState.FAILED);
        long next = outbox.planTemplate("k8", "+16175550130", "appointment_reminder", Instant.now());
        long other = outbox.planTemplate("k9", "+16175550131", "appointment_confirmation", Instant.now());

        await().atMost(WAIT).until(() -> outbox.state(other) == OutboundState.READ);
        assertThat(outbox.state(next)).isEqualTo(OutboundState.PLANNED);
        JsonNode status = json.readTree(api("GET", "/api/whatsapp/status").body());
        assertThat(status.path("pausedTemplates").path(0).path("name").asText()).isEqualTo("appointment_reminder");
        assertThat(status.path("pausedTemplates").path(0).path("errorCode").asInt()).isEqualTo(132001);

        assertStatus(api("POST", "/api/whatsapp/templates/appointment_reminder/en_US/resume"), 200);
        await().atMost(WAIT).until(() -> outbox.state(next) == OutboundState.READ);
    }

    @Test
    void anAccountErrorStopsEverythingUntilTheCircuitIsClosed() throws Exception {
        simulator.addFault(fault(null, null, 190, 401));

        long first = outbox.planTemplate("k10", "+16175550132", "appointment_reminder", Instant.now());
        await().atMost(WAIT).until(() -> json.readTree(api("GET", "/api/whatsapp/status").body())
                .path("circuit").path("errorCode").asInt() == 190);
        long second = outbox.planTemplate("k11", "+16175550133", "appointment_reminder", Instant.now());

        assertThat(outbox.state(first)).isEqualTo(OutboundState.PLANNED);
        assertThat(outbox.row(first).attempts()).isZero();
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> simulator.received().size() == 1);
        assertThat(outbox.state(second)).isEqualTo(OutboundState.PLANNED);

        assertStatus(api("POST", "/api/whatsapp/circuit/close"), 200);
        await().atMost(WAIT).until(() -> outbox.state(first) == OutboundState.READ
                && outbox.state(second) == OutboundState.READ);
    }

    @Test
    void freeFormTextOutsideTheWindowFails() throws Exception {
        long id = outbox.planText("ack|1", "+16175550134", "Thank you, your appointment is confirmed.");

        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.FAILED);
        assertThat(outbox.row(id).errorCode()).isEqualTo(131047);
        assertThat(outbox.row(id).stateReason()).isEqualTo("outside the 24 h window: only a template can be sent");
    }

    @Test
    void noAnswerAfterSendingIsHeldAsUnknownAndAnOperatorCanResendIt() throws Exception {
        simulator.addFault(new Fault("+16175550135", null, null, null, null, null, 0, 0, true, null, null, 1));

        long id = outbox.planTemplate("k12", "+16175550135", "appointment_reminder", Instant.now());

        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.UNKNOWN);
        assertThat(outbox.row(id).stateReason()).startsWith("sent, but no answer came");
        assertStatus(api("POST", "/api/whatsapp/outbound/" + id + "/resend"), 200);
        await().atMost(WAIT).until(() -> outbox.state(id) == OutboundState.READ);
    }

    @Test
    void messagesToOnePatientAreSpacedByThePairIntervalWithoutA131056() throws Exception {
        long first = outbox.planTemplate("k13", "+16175550136", "appointment_confirmation", Instant.now());
        long second = outbox.planTemplate("k14", "+16175550136", "appointment_reminder", Instant.now());

        await().atMost(WAIT).until(() -> outbox.state(first) == OutboundState.READ
                && outbox.state(second) == OutboundState.READ);
        List<Received> received = simulator.received();
        assertThat(received).extracting(Received::errorCode).containsExactly(0, 0);
        assertThat(Duration.between(received.get(0).at(), received.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    private static Fault fault(String recipient, String template, int code, int status) {
        return new Fault(recipient, template, null, null, code, status, 0, 0, false, null, null, 1);
    }

    private List<Timestamp> timestamps(long id) throws Exception {
        return Reads.first(store(), "SELECT sent_at, delivered_at, read_at FROM wa_outbound WHERE id = ?",
                row -> java.util.Arrays.asList(row.getTimestamp(1), row.getTimestamp(2), row.getTimestamp(3)), id)
                .orElseThrow();
    }
}
