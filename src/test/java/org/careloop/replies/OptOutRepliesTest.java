package org.careloop.replies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.careloop.testing.PlannedRow;
import org.careloop.testing.SendingEngineTest;
import org.careloop.testing.Siu;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opt-outs as patients write them, through the running engine: the booking confirmation reaches the WhatsApp
 * simulator, the patient answers it there, and what follows is read at the simulator (the confirmation of the
 * opt-out, once, in the patient's language), in the outbox (every pending message SUPPRESSED, a later S14 planning
 * nothing that could go out), in the consent history (source "reply") and in the staff queue.
 */
class OptOutRepliesTest extends SendingEngineTest {

    private static final String PHONE = "+16175550123";
    private static final String WA_ID = "16175550123";
    private static final String SUBJECT = "appointment:EPIC|A100";
    private static final String OPTED_OUT_EN = "You will receive no more WhatsApp messages from us. To receive them "
            + "again, let our reception team know.";
    private static final String OPTED_OUT_ES = "No recibirá más mensajes de WhatsApp de nuestra parte. Para volver a "
            + "recibirlos, dígaselo a nuestro equipo de recepción.";

    private final ObjectMapper json = new ObjectMapper();

    static Stream<Arguments> optOuts() {
        return Stream.of(
                Arguments.of("¡BAJA!", "SPA", OPTED_OUT_ES),
                Arguments.of("\"Stop\"", "ENG", OPTED_OUT_EN),
                Arguments.of("stop 🙏", "ENG", OPTED_OUT_EN),
                Arguments.of("STOP STOP", "ENG", OPTED_OUT_EN),
                Arguments.of("Stop.", "ENG", OPTED_OUT_EN),
                Arguments.of("  baja  ", "SPA", OPTED_OUT_ES),
                Arguments.of("Cancelar suscripción", "SPA", OPTED_OUT_ES),
                Arguments.of("«Baja» …", "SPA", OPTED_OUT_ES),
                // a short reply with a word that answers nothing else
                Arguments.of("please stop", "ENG", OPTED_OUT_EN),
                Arguments.of("stop sending me these", "ENG", OPTED_OUT_EN),
                Arguments.of("no más mensajes, baja", "SPA", OPTED_OUT_ES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optOuts")
    void aTypedOptOutSuppressesEverythingPendingAndIsConfirmedOnce(String words, String language, String confirmed)
            throws Exception {
        Siu patient = new Siu("A100", "E100", PHONE, language);
        Received confirmation = book(patient);

        clock.advance(PAIR_SPACING);
        awaitHandled(simulator().reply(WA_ID, confirmation.wamid(), "text", null, words));

        assertThat(consentHistory()).containsExactly("OPT_IN api: front desk", "OPT_OUT reply");
        assertThat(reminders()).hasSize(2).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("SUPPRESSED");
            assertThat(r.reason()).isEqualTo("the patient opted out (reply)");
        });
        inbox().awaitAccepted(2);
        assertThat(inbox().described()).hasSize(2).element(1).isEqualTo("text " + confirmed);
        assertThat(staffKinds()).isEmpty();

        // said again: no second confirmation
        clock.advance(PAIR_SPACING);
        awaitHandled(simulator().reply(WA_ID, null, "text", null, words));
        assertThat(count("SELECT COUNT(*) FROM wa_outbound WHERE recipient = ? AND message_type = 'text'", PHONE))
                .isEqualTo(1);

        // the EHR changes the appointment: nothing that could go out is planned
        clock.advance(PAIR_SPACING);
        deliver(patient.modified("c2", "202612150930"));
        assertThat(planned(SUBJECT)).extracting(PlannedRow::state).doesNotContain("PLANNED", "CLAIMED");
        assertThat(count("SELECT COUNT(*) FROM wa_outbound WHERE recipient = ? AND state = 'PLANNED'", PHONE))
                .isZero();
        assertThat(inbox().accepted()).hasSize(2);
    }

    @Test
    void theCancelButtonCancelsTheAppointmentEvenWhereATypedCancelOptsOut() throws Exception {
        engine.close(); // a site where a typed CANCEL opts out
        engine = startEngine(Map.of("careloop.consent.opt-out-words", "en:STOP,CANCEL"));
        Received confirmation = book(new Siu("A100", "E100", PHONE, "ENG"));

        clock.advance(PAIR_SPACING);
        String tap = simulator().reply(WA_ID, confirmation.wamid(), "button", "CANCEL:" + SUBJECT, "Cancel");
        awaitHandled(tap);

        assertThat(consentHistory()).containsExactly("OPT_IN api: front desk");
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback WHERE reply_wamid = ? AND action = 'CANCEL'", tap))
                .isEqualTo(1);
        assertThat(reminders()).hasSize(2).extracting(PlannedRow::reason)
                .containsOnly("the patient cancelled by WhatsApp");
        inbox().awaitAccepted(2);
        assertThat(inbox().described().get(1))
                .isEqualTo("text Your appointment on Monday, December 14, 2026, 9:30 AM has been cancelled. We "
                        + "hope to see you another time.");
    }

    @Test
    void aTypedCancelIsAProbableOptOutForStaffFirstAndChangesNothing() throws Exception {
        Received confirmation = book(new Siu("A100", "E100", PHONE, "ENG"));
        clock.advance(PAIR_SPACING);
        awaitHandled(simulator().reply(WA_ID, confirmation.wamid(), "text", null, "What time should I arrive?"));
        clock.advance(PAIR_SPACING);
        awaitHandled(simulator().reply(WA_ID, confirmation.wamid(), "text", null, "CANCEL"));
        clock.advance(PAIR_SPACING);
        awaitHandled(simulator().reply(WA_ID, confirmation.wamid(), "text", null, "Thanks, see you then"));

        assertThat(consentHistory()).containsExactly("OPT_IN api: front desk");
        assertThat(reminders()).extracting(PlannedRow::state).containsOnly("PLANNED");
        assertThat(count("SELECT COUNT(*) FROM fhir_writeback WHERE action = 'CANCEL'")).isZero();
        assertThat(staffKinds()).containsExactly("PROBABLE_OPT_OUT CANCEL", "FREE_TEXT Thanks, see you then",
                "FREE_TEXT What time should I arrive?");
    }

    @Test
    void aShortReplyWithAWordThatAlsoAnswersGoesToStaffAndALongOneIsFreeText() throws Exception {
        Received confirmation = book(new Siu("A100", "E100", PHONE, "ENG"));
        clock.advance(PAIR_SPACING);
        awaitHandled(simulator().reply(WA_ID, confirmation.wamid(), "text", null, "I want to quit this"));
        clock.advance(PAIR_SPACING);
        awaitHandled(simulator().reply(WA_ID, confirmation.wamid(), "text", null,
                "I will stop by the front desk tomorrow morning for the forms"));

        assertThat(consentHistory()).containsExactly("OPT_IN api: front desk");
        assertThat(reminders()).extracting(PlannedRow::state).containsOnly("PLANNED");
        assertThat(staffKinds()).containsExactly("PROBABLE_OPT_OUT I want to quit this",
                "FREE_TEXT I will stop by the front desk tomorrow morning for the forms");
    }

    /** Opts the patient in, books the appointment, and returns the confirmation as the simulator accepted it. */
    private Received book(Siu patient) throws Exception {
        optIn("EPI|" + patient.patientId(), PHONE);
        deliver(patient.booked("c1", "202612140930"));
        inbox().awaitAccepted(1);
        return inbox().accepted().get(0);
    }

    private void awaitHandled(String wamid) {
        await().atMost(Duration.ofSeconds(15)).until(() ->
                count("SELECT COUNT(*) FROM wa_inbound_message WHERE wamid = ? AND state = 'HANDLED'", wamid) == 1);
    }

    /** The number's consent history, oldest first, as "STATUS source". */
    private List<String> consentHistory() throws Exception {
        JsonNode history = json.readTree(api("GET", "/api/consent?phone=%2B16175550123").body()).path("history");
        return Stream.iterate(0, i -> i < history.size(), i -> i + 1).map(history::get)
                .map(h -> h.path("status").asText() + " " + h.path("source").asText()).toList();
    }

    /** The open staff queue as listed, as "KIND text". */
    private List<String> staffKinds() throws Exception {
        JsonNode queue = json.readTree(api("GET", "/api/replies/staff-queue").body());
        return Stream.iterate(0, i -> i < queue.size(), i -> i + 1).map(queue::get)
                .map(item -> item.path("kind").asText() + " " + item.path("text").asText()).toList();
    }

    private List<PlannedRow> reminders() throws Exception {
        return planned(SUBJECT).stream().filter(r -> r.key().startsWith("appointment-reminder")).toList();
    }

    private CloudApiSimulator simulator() {
        return engine.bean("cloudApiSimulator", CloudApiSimulator.class);
    }
}
