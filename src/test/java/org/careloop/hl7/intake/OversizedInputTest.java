package org.careloop.hl7.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.careloop.store.Reads;
import org.careloop.testing.Ack;
import org.careloop.testing.EngineTest;
import org.careloop.testing.LogCapture;
import org.careloop.testing.MllpClient;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/**
 * What the intake accepts is bounded by what the store holds, so that nothing acknowledged can stop the stages behind
 * it: a message over a bound gets AE naming the field, is kept in the rejected table, and the messages after it go on.
 */
class OversizedInputTest extends EngineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aFiveMegabyteNameGetsAeAndTheThousandMessagesBehindItBecomeEvents() throws Exception {
        String huge = new String(Samples.siu("BIG-1", "70000"), StandardCharsets.US_ASCII)
                .replace("DOE^JANE", "DOE".repeat(1_700_000) + "^JANE");

        List<String> acks = new ArrayList<>();
        try (MllpClient client = mllp()) {
            Ack refused = Ack.of(client.send(huge.getBytes(StandardCharsets.US_ASCII)));
            assertThat(refused.code()).isEqualTo("AE");
            assertThat(refused.field("MSA", 2)).isEqualTo("BIG-1");
            assertThat(refused.errSegments()).containsExactly("ERR|PID^1^5^104&Value too long&HL70357");
            for (int i = 0; i < 1_000; i++) {
                acks.add(Ack.of(client.send(Samples.siu("N-" + i, String.valueOf(71_000 + i)))).code());
            }
        }

        assertThat(acks).hasSize(1_000).containsOnly("AA");
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM care_event") == 1_000);
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE state <> 'PROCESSED'")).isZero();
        assertThat(Reads.list(store(), "SELECT ack_code, error_code, error_location, reason, raw_size, "
                + "OCTET_LENGTH(raw_message) FROM hl7_rejected", row -> List.of(row.getString(1), row.getInt(2),
                row.getString(3), row.getString(4), row.getLong(5), row.getLong(6)))).containsExactly(List.of("AE",
                104, "PID-5", "PID-5 is 5100005 characters; CareLoop accepts at most 65536 in a field "
                        + "(careloop.hl7.max-field-chars)", (long) huge.length(), 1_048_576L));
    }

    @Test
    void aMessageOverTheFrameLimitGetsAe() throws Exception {
        engine.close();
        engine = startEngine(Map.of("careloop.mllp.max-frame-bytes", "100000"));
        String big = new String(Samples.siu("BIG-2", "70001"), StandardCharsets.US_ASCII)
                + "NTE|1||" + "x".repeat(60_000) + "\rNTE|2||" + "y".repeat(60_000) + "\r";

        Ack ack = send(big.getBytes(StandardCharsets.US_ASCII));

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.field("MSA", 2)).isEqualTo("BIG-2");
        assertThat(ack.errSegments()).containsExactly("ERR|^^^104&Value too long&HL70357");
        assertThat(count("SELECT COUNT(*) FROM hl7_rejected WHERE reason = 'the message is " + big.length()
                + " bytes; CareLoop accepts at most 100000 (careloop.mllp.max-frame-bytes)'")).isEqualTo(1);
        assertThat(send(Samples.siu("SMALL-1", "70002")).code()).isEqualTo("AA");
    }

    @Test
    void aTwoThousandCharacterControlIdGetsAeEchoedWholeKeptAndLoggedShort() throws Exception {
        String controlId = "C".repeat(2_000);
        Ack ack;
        List<String> lines;
        try (LogCapture logs = new LogCapture()) {
            ack = send(Samples.siu(controlId, "70003"));
            lines = List.copyOf(logs.lines());
        }

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.field("MSA", 2)).isEqualTo(controlId);
        assertThat(ack.errSegments()).containsExactly("ERR|MSH^1^10^104&Value too long&HL70357");
        assertThat(ack.field("MSA", 3)).isEqualTo("MSH-10 (message control id) is 2000 characters; CareLoop accepts at "
                + "most 199");
        assertThat(count("SELECT COUNT(*) FROM hl7_rejected WHERE error_location = 'MSH-10' "
                + "AND control_id = ?", "C".repeat(1_000))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isZero();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("C".repeat(81)));
    }

    @Test
    void aMessageTypeTooLongForItsColumnGetsAeNotAr() throws Exception {
        String message = new String(Samples.siu("TYPE-1", "70004"), StandardCharsets.US_ASCII)
                .replace("SIU^S12", "SIUSIUSIUSIU^S12");

        Ack ack = send(message.getBytes(StandardCharsets.US_ASCII));

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.errSegments()).containsExactly("ERR|MSH^1^9^104&Value too long&HL70357");
    }

    @Test
    void controlCharactersFromTheSenderAreEscapedInTheLog() throws Exception {
        String forged = "EPIC\u001b[2J\u202eFORGED\u2028INFO fake line";
        String message = new String(Samples.bytes("invalid/siu-s12-no-appointment-ids.hl7"), StandardCharsets.UTF_8)
                .replaceFirst("\\|EPIC\\|", "|" + forged + "|");
        List<String> lines;
        try (LogCapture logs = new LogCapture()) {
            assertThat(send(message.getBytes(StandardCharsets.UTF_8)).code()).isEqualTo("AE");
            lines = List.copyOf(logs.lines());
        }

        assertThat(lines).anyMatch(line -> line.contains("from EPIC\\u001b[2J\\u202eFORGED\\u2028INFO fake line"));
        assertThat(lines).noneMatch(line -> line.contains("\u001b") || line.contains("\u202e") || line.contains("\u2028"));
    }
}
