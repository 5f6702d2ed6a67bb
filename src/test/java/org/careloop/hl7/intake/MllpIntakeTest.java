package org.careloop.hl7.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.careloop.store.Reads;
import org.careloop.testing.Ack;
import org.careloop.testing.EngineTest;
import org.careloop.testing.FailingInsertTrigger;
import org.careloop.testing.MllpClient;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/** Every ACK path of the MLLP intake, over a real socket to a running engine. */
class MllpIntakeTest extends EngineTest {

    @Test
    void storesThenAcknowledgesWithAaEchoingTheSender() throws Exception {
        Ack ack = send(Samples.bytes("epic-siu-s12-v23.hl7"));

        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.field("MSA", 2)).isEqualTo("100001");
        assertThat(ack.field("MSH", 3)).isEqualTo("CARELOOP");
        assertThat(ack.field("MSH", 4)).isEqualTo("MERCY");
        assertThat(ack.field("MSH", 5)).isEqualTo("EPIC");
        assertThat(ack.field("MSH", 6)).isEqualTo("EPICADT");
        assertThat(ack.field("MSH", 9)).isEqualTo("ACK^S12^ACK");
        assertThat(ack.field("MSH", 11)).isEqualTo("P");
        assertThat(ack.field("MSH", 12)).isEqualTo("2.3");
        assertThat(ack.errSegments()).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE control_id = '100001'")).isEqualTo(1);
    }

    @Test
    void answersCaWhenTheSenderAsksForAnAcceptAck() throws Exception {
        String enhanced = Samples.text("siu-s12-v251-tq1.hl7").replace("|P|2.5.1", "|P|2.5.1|||AL|NE");

        Ack ack = send(enhanced.getBytes(StandardCharsets.UTF_8));

        assertThat(ack.code()).isEqualTo("CA");
        assertThat(ack.field("MSA", 2)).isEqualTo("CRN-5501");
    }

    @Test
    void msh15SaysForWhichOutcomesTheSenderGetsAnAcceptAck() throws Exception {
        String v251 = Samples.text("siu-s12-v251-tq1.hl7");
        String noPatientId = v251.replaceFirst("\\rPID\\|1\\|\\|[^|]*\\|", "\rPID|1|||");

        assertThat(send(enhanced(v251, "NE", "NE", "NE-1")).code()).isEqualTo("AA");
        assertThat(send(enhanced(v251, "ER", "NE", "ER-1")).code()).isEqualTo("AA");
        assertThat(send(enhanced(noPatientId, "ER", "NE", "ER-2")).code()).isEqualTo("CE");
        assertThat(send(enhanced(v251, "SU", "NE", "SU-1")).code()).isEqualTo("CA");
        assertThat(send(enhanced(noPatientId, "SU", "NE", "SU-2")).code()).isEqualTo("AE");
        assertThat(send(enhanced(noPatientId, "AL", "NE", "AL-1")).code()).isEqualTo("CE");
    }

    @Test
    void theStrictReadingAnswersAsMsh15AndMsh16AskAndNotAtAllForNeNe() throws Exception {
        engine.close();
        engine = startEngine(java.util.Map.of("careloop.hl7.accept-acks", "strict"));
        String v251 = Samples.text("siu-s12-v251-tq1.hl7");

        try (MllpClient client = mllp()) {
            client.writeRaw(MllpClient.frame(enhanced(v251, "NE", "NE", "NE-NE")));
            // the first answer on the connection is the next message's: NE/NE got none
            Ack next = Ack.of(client.send(enhanced(v251, "NE", "AL", "NE-AL")));
            assertThat(next.code()).isEqualTo("AA");
            assertThat(next.field("MSA", 2)).isEqualTo("NE-AL");
            assertThat(Ack.of(client.send(enhanced(v251, "AL", "NE", "AL-NE"))).code()).isEqualTo("CA");
        }
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE control_id IN ('NE-NE', 'NE-AL', 'AL-NE')"))
                .isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM hl7_rejected")).as("nothing was refused").isZero();
    }

    /** The message with MSH-15/16 valued and its own control id. */
    private static byte[] enhanced(String message, String accept, String application, String controlId) {
        return message.replace("|CRN-5501|P|2.5.1", "|" + controlId + "|P|2.5.1|||" + accept + "|" + application)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aResentMessageGetsAaAgainWithoutASecondEntryOrEvent() throws Exception {
        byte[] message = Samples.bytes("epic-siu-s12-v23.hl7");
        byte[] resentWithLfEndings = new String(message, StandardCharsets.US_ASCII).replace('\r', '\n')
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(send(message).code()).isEqualTo("AA");
        assertThat(send(message).code()).isEqualTo("AA");
        assertThat(send(resentWithLfEndings).code()).isEqualTo("AA");

        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM care_event") == 1);
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE state = 'PROCESSED'")).isEqualTo(1);
    }

    @Test
    void aControlIdReusedForOtherContentGetsAeAndIsKeptAsRejected() throws Exception {
        send(Samples.siu("CTRL-1", "50001"));

        Ack ack = send(Samples.siu("CTRL-1", "50002"));

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.errSegments()).containsExactly(
                "ERR|MSH^1^10^205&Duplicate key identifier&HL70357");
        assertThat(ack.field("MSA", 3)).startsWith("duplicate control id");
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM hl7_rejected WHERE control_id = 'CTRL-1' AND error_code = 205"))
                .isEqualTo(1);
    }

    @Test
    void somethingThatIsNotHl7GetsArAndItsBytesAreKept() throws Exception {
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        Ack ack = send(garbage);

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.field("MSA", 2)).isEmpty();
        assertThat(ack.errSegments()).singleElement().asString().startsWith("ERR||MSH^1|100^Segment sequence error");
        assertThat(rejectedRaw()).isEqualTo(garbage);
    }

    @Test
    void aMessageWithoutControlIdGetsAr() throws Exception {
        Ack ack = send(Samples.bytes("invalid/msh-no-control-id.hl7"));

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errSegments()).containsExactly("ERR|MSH^1^10^101&Required field missing&HL70357");
    }

    @Test
    void anUnsupportedVersionGetsAr() throws Exception {
        Ack ack = send(Samples.text("epic-siu-s12-v23.hl7").replace("|P|2.3", "|P|2.1").getBytes());

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errSegments()).singleElement().asString().startsWith("ERR||MSH^1^12|203^Unsupported version id");
    }

    @Test
    void anSiuWithoutAppointmentIdsGetsAeNamingTheFieldsAndIsKept() throws Exception {
        byte[] message = Samples.bytes("invalid/siu-s12-no-appointment-ids.hl7");

        Ack ack = send(message);

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.field("MSA", 2)).isEqualTo("100010");
        // v2.3: ERR-1 is segment^sequence^field^code&text&table
        assertThat(ack.errSegments()).containsExactly("ERR|SCH^1^2^101&Required field missing&HL70357");
        assertThat(ack.field("MSA", 3)).contains("SCH-1").contains("SCH-2");
        assertThat(rejectedRaw()).isEqualTo(message);
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isZero();
    }

    @Test
    void anAdtWithoutPatientIdGetsAeInTheVersion25ErrForm() throws Exception {
        Ack ack = send(Samples.bytes("invalid/adt-a08-no-pid3.hl7"));

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.errSegments()).containsExactly(
                "ERR||PID^1^3|101^Required field missing^HL70357|E||||PID-3 (patient identifier list) is empty");
    }

    @Test
    void aTypeCareLoopDoesNotHandleGetsAaAndIsKeptAsIgnored() throws Exception {
        Ack ack = send(Samples.bytes("invalid/mfn-m02-unhandled.hl7"));

        assertThat(ack.code()).isEqualTo("AA");
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE state = 'IGNORED' "
                + "AND state_reason = 'MFN^M02 is not a message type CareLoop handles'")).isEqualTo(1);
    }

    @Test
    void whenTheStoreCannotBeWrittenTheSenderGetsArNeverAa() throws Exception {
        installFailingTrigger(true);

        Ack ack = send(Samples.bytes("epic-siu-s12-v23.hl7"));

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errSegments()).containsExactly("ERR|^^^207&Application internal error&HL70357");
        installFailingTrigger(false);
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isZero();

        assertThat(send(Samples.bytes("epic-siu-s12-v23.hl7")).code()).isEqualTo("AA");
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isEqualTo(1);
    }

    @Test
    void oneConnectionKeepsWorkingAfterABadMessage() throws Exception {
        try (MllpClient client = mllp()) {
            assertThat(Ack.of(client.send("not hl7 at all".getBytes())).code()).isEqualTo("AR");
            assertThat(Ack.of(client.send(Samples.bytes("invalid/siu-s12-no-appointment-ids.hl7"))).code())
                    .isEqualTo("AE");
            assertThat(Ack.of(client.send(Samples.bytes("epic-siu-s12-v23.hl7"))).code()).isEqualTo("AA");
        }
    }

    @Test
    void twoFramesPipelinedInOneWriteAreBothStoredAndAcknowledged() throws Exception {
        List<byte[]> acks;
        try (MllpClient client = mllp()) {
            acks = client.sendPipelined(List.of(Samples.siu("PIPE-1", "60001"), Samples.siu("PIPE-2", "60002")));
        }

        assertThat(acks).extracting(a -> Ack.of(a).code()).containsExactly("AA", "AA");
        assertThat(acks).extracting(a -> Ack.of(a).field("MSA", 2)).containsExactly("PIPE-1", "PIPE-2");
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE control_id IN ('PIPE-1', 'PIPE-2')")).isEqualTo(2);
    }

    @Test
    void severalConnectionsAtOnceAreAllStoredAndAcknowledged() throws Exception {
        int connections = 8;
        int perConnection = 50;
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<Callable<List<String>>> work = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            work.add(() -> {
                List<String> codes = new ArrayList<>();
                try (MllpClient client = mllp()) {
                    for (int i = 0; i < perConnection; i++) {
                        String id = "C" + connection + "-" + i;
                        codes.add(Ack.of(client.send(Samples.siu(id, connection + "0" + i))).code());
                    }
                }
                return codes;
            });
        }
        List<String> codes = new ArrayList<>();
        for (Future<List<String>> result : senders.invokeAll(work)) {
            codes.addAll(result.get());
        }
        senders.shutdown();

        assertThat(codes).hasSize(connections * perConnection).containsOnly("AA");
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isEqualTo(connections * perConnection);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT COUNT(*) FROM care_event") == connections * perConnection);
    }

    @Test
    void readsTheCharsetFromMsh18AndKeepsTheNamesIntact() throws Exception {
        String latin1 = "MSH|^~\\&|LEGACY|CLINIC|CARELOOP|MERCY|20261126091500||SIU^S12|L1-1|P|2.4||||||8859/1\r"
                + "SCH||90001^LEGACY|||||||30|MIN|^^^20261214093000\r"
                + "PID|1||L1^^^LEG^MR||BJÖRK^GUÐRÚN||||||||6175550123\r";

        byte[] ack;
        try (MllpClient client = mllp()) {
            ack = client.send(latin1.getBytes(StandardCharsets.ISO_8859_1));
        }

        assertThat(Ack.of(ack, StandardCharsets.ISO_8859_1).code()).isEqualTo("AA");
        assertThat(Ack.of(ack, StandardCharsets.ISO_8859_1).field("MSH", 18)).isEqualTo("8859/1");
        assertThat(count("SELECT COUNT(*) FROM hl7_journal WHERE charset = 'ISO-8859-1'")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT COUNT(*) FROM care_event WHERE payload LIKE '%\"family\":\"BJÖRK\",\"given\":\"GUÐRÚN\"%'") == 1);
    }

    private byte[] rejectedRaw() throws Exception {
        try (Connection connection = store().getConnection();
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT raw_message FROM hl7_rejected ORDER BY id DESC")) {
            rows.next();
            byte[] raw = rows.getBytes(1);
            Reads.end(connection);
            return raw;
        }
    }

    private void installFailingTrigger(boolean failing) throws Exception {
        try (Connection connection = store().getConnection();
                PreparedStatement statement = connection.prepareStatement(failing
                        ? "CREATE TRIGGER fail_journal BEFORE INSERT ON hl7_journal FOR EACH ROW CALL \""
                                + FailingInsertTrigger.class.getName() + "\""
                        : "DROP TRIGGER fail_journal")) {
            statement.execute();
            connection.commit();
        }
    }
}
