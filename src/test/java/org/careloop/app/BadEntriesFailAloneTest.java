package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.careloop.testing.HttpAssertions.assertStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.careloop.event.CareEventStore;
import org.careloop.queue.WorkQueue;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.testing.EngineTest;
import org.careloop.testing.MllpClient;
import org.careloop.testing.Samples;
import org.careloop.testing.Ack;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.junit.jupiter.api.Test;

/**
 * One entry the store refuses, in each stage that drains a table, fails alone: it is parked FAILED with its reason
 * and the entries behind it go on. Each bad entry here is one the stage cannot store (SQLState 22001, a value longer
 * than its column), the failure that once stopped the journal drain for good.
 */
class BadEntriesFailAloneTest extends EngineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();
    private static final String SQL_22001 = "could not be stored: SQL error (SQLState 22001)";

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.whatsapp.dispatch.enabled", "false");
    }

    @Test
    void aJournalEntryWhoseEventDoesNotFitFailsAloneAndTheOthersBecomeEvents() throws Exception {
        acceptLongFields();
        String unfit = unfitSiu("UNFIT-1", "80000");
        List<String> acks = new ArrayList<>();
        try (MllpClient client = mllp()) {
            for (int i = 0; i < 100; i++) {
                acks.add(Ack.of(client.send(Samples.siu("BEFORE-" + i, String.valueOf(80_100 + i)))).code());
            }
            acks.add(Ack.of(client.send(unfit.getBytes(StandardCharsets.US_ASCII))).code());
            for (int i = 0; i < 100; i++) {
                acks.add(Ack.of(client.send(Samples.siu("AFTER-" + i, String.valueOf(80_200 + i)))).code());
            }
        }

        assertThat(acks).hasSize(201).containsOnly("AA");
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM hl7_journal WHERE state = 'RECEIVED'") == 0);
        assertThat(count("SELECT COUNT(*) FROM care_event")).isEqualTo(200);
        assertThat(Reads.list(store(), "SELECT control_id, state, state_reason FROM hl7_journal WHERE state <> "
                + "'PROCESSED'", row -> List.of(row.getString(1), row.getString(2), row.getString(3))))
                .containsExactly(List.of("UNFIT-1", "FAILED", SQL_22001));
    }

    @Test
    void aFailedJournalEntryPutBackByAnOperatorIsTakenAgainAndParkedOnce() throws Exception {
        acceptLongFields();
        assertThat(send(unfitSiu("UNFIT-2", "80010").getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo("AA");
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM hl7_journal WHERE state = 'FAILED'") == 1);
        long id = count("SELECT MAX(id) FROM hl7_journal");

        assertStatus(api("POST", "/api/failures/journal/" + id + "/retry"), 200);

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM work_queue WHERE state = 'READY'") == 0
                && count("SELECT COUNT(*) FROM hl7_journal WHERE state = 'FAILED'") == 1);
        assertThat(count("SELECT COUNT(*) FROM work_queue WHERE queue = 'hl7-journal' AND state = 'FAILED'"))
                .as("the parked entry gave way to the new one, itself parked").isEqualTo(1);
        assertThat(json.readTree(api("GET", "/api/failures").body()).path("journal").findValuesAsText("reason"))
                .containsExactly(SQL_22001);
        assertStatus(api("POST", "/api/failures/journal/999999/retry"), 409);
    }

    /** A site that accepts long fields: a 1.2 MB name is acknowledged, and its event is larger than the store's. */
    private void acceptLongFields() throws Exception {
        engine.close();
        engine = startEngine(Map.of("careloop.hl7.max-field-chars", "2000000"));
    }

    private static String unfitSiu(String controlId, String appointmentId) {
        return new String(Samples.siu(controlId, appointmentId), StandardCharsets.US_ASCII)
                .replace("DOE^JANE", "DOE".repeat(400_000) + "^JANE");
    }

    @Test
    void aCareEventThatCannotBePlannedFailsAloneAndTheNextIsPlanned() throws Exception {
        optIn("EPI|E80301", "+16175550123");
        deliver(Samples.siu("PLAN-1", "80301"));
        String payload = Reads.first(store(), "SELECT payload FROM care_event", row -> row.getString(1)).orElseThrow();
        String unfit = payload.replace("+16175550123", "+1617555012" + "3".repeat(40)).replace("80301", "80302");
        // stored and handed to planning as a stage would
        long unfitId = engine.bean("careloopWriter", org.careloop.store.GroupCommitWriter.class).submit(c -> {
            long id = Writes.insert(c, "INSERT INTO care_event (kind, patient_key, appointment_key, created_at, "
                    + "payload) SELECT kind, patient_key, 'EPIC|80302', created_at, ? FROM care_event", unfit);
            WorkQueue.enqueue(c, CareEventStore.QUEUE, "appointment:EPIC|80302", String.valueOf(id), Instant.now());
            return id;
        }).get();

        deliver(Samples.siu("PLAN-3", "80303"));

        assertThat(Reads.list(store(), "SELECT plan_state FROM care_event WHERE id = ?", row -> row.getString(1),
                unfitId)).as("not planned").containsExactly("NEW");
        assertThat(planned("appointment:EPIC|80302")).isEmpty();
        assertThat(json.readTree(api("GET", "/api/failures").body()).path("planning").findValuesAsText("reason"))
                .containsExactly(SQL_22001);
        assertThat(planned("appointment:EPIC|80303")).hasSize(3);
    }

    @Test
    void aWebhookThatCannotBeAppliedFailsAloneAndTheNextIsApplied() throws Exception {
        CloudApiSimulator simulator = engine.bean("cloudApiSimulator", CloudApiSimulator.class);

        simulator.reply("1".repeat(40), null, "text", null, "from a number longer than any");
        simulator.reply("16175550124", null, "text", null, "hello");

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM work_queue WHERE state = 'READY'") == 0
                && count("SELECT COUNT(*) FROM wa_webhook_inbox") == 2);
        assertThat(Reads.list(store(), "SELECT state FROM wa_webhook_inbox", row -> row.getString(1)))
                .containsExactlyInAnyOrder("RECEIVED", "PROCESSED");
        JsonNode parked = json.readTree(api("GET", "/api/failures").body());
        assertThat(parked.path("webhooks").findValuesAsText("reason")).containsExactly(SQL_22001);
        assertThat(Reads.list(store(), "SELECT from_wa_id FROM wa_inbound_message", row -> row.getString(1)))
                .containsExactly("16175550124");
    }

    @Test
    void aReplyThatCannotBeHandledFailsAloneAndTheNextIsHandled() throws Exception {
        CloudApiSimulator simulator = engine.bean("cloudApiSimulator", CloudApiSimulator.class);
        String longest = "1".repeat(32);

        simulator.reply(longest, null, "text", null, "a number as long as the column, and a + before it");
        simulator.reply("16175550124", null, "text", null, "hello");

        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM work_queue WHERE state = 'READY'") == 0
                && count("SELECT COUNT(*) FROM wa_inbound_message") == 2);
        assertThat(Reads.list(store(), "SELECT state FROM wa_inbound_message WHERE from_wa_id = ?",
                row -> row.getString(1), longest)).as("not handled").containsExactly("NEW");
        assertThat(Reads.list(store(), "SELECT state FROM wa_inbound_message WHERE from_wa_id = '16175550124'",
                row -> row.getString(1))).containsExactly("HANDLED");
        assertThat(count("SELECT COUNT(*) FROM staff_queue WHERE from_phone = '+16175550124'")).isEqualTo(1);

        JsonNode parked = json.readTree(api("GET", "/api/failures").body());
        assertThat(parked.path("replies").findValuesAsText("reason")).containsExactly(SQL_22001);
        String id = parked.path("replies").path(0).path("id").asText();
        assertStatus(api("POST", "/api/failures/replies/" + id + "/retry"), 200);
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM work_queue WHERE id = ? AND state = 'FAILED' "
                + "AND attempts = 1", Long.parseLong(id)) == 1);
        assertStatus(api("POST", "/api/failures/replies/" + id + "/retry"), 200);
        assertStatus(api("POST", "/api/failures/nowhere/1/retry"), 404);
        assertStatus(api("POST", "/api/failures/replies/999999/retry"), 409);
    }
}
