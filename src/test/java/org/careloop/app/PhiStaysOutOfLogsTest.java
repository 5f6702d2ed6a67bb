package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.testing.EngineTest;
import org.careloop.testing.LogCapture;
import org.careloop.testing.MllpClient;
import org.careloop.testing.Outboxes;
import org.careloop.testing.Samples;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.Fault;
import org.junit.jupiter.api.Test;

/**
 * Good, bad, duplicated, pipelined, partial and unparseable messages go through the engine, and WhatsApp sends fail,
 * time out and receive replies, while every log line is captured (CareLoop's at DEBUG): none may carry a name, a phone
 * number, a patient id or message content.
 */
class PhiStaysOutOfLogsTest extends EngineTest {

    private static final List<String> PHI = List.of("DOE", "JANE", "RIVERA", "NÚÑEZ", "GARCIA", "5550123",
            "555-0177", "5550142", "E1234567", "MRN-440021", "ELM ST", "Amlodipine", "Cholesterol");

    @Override
    protected Map<String, String> properties() {
        return Map.of("camel.component.http.response-timeout", "2000", "camel.component.http.so-timeout", "2000");
    }

    @Test
    void noPatientDataReachesTheLogs() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            for (String sample : List.of("epic-siu-s12-v23.hl7", "siu-s12-v251-tq1.hl7", "siu-s12-utf8-accents.hl7",
                    "oru-r01-result.hl7", "rde-o11-order.hl7", "invalid/siu-s12-no-appointment-ids.hl7",
                    "invalid/adt-a08-no-pid3.hl7", "invalid/mfn-m02-unhandled.hl7")) {
                send(Samples.bytes(sample));
            }
            send(Samples.text("epic-siu-s12-v23.hl7").replace("SCH|29461", "SCH|29462").getBytes()); // reused id
            send(Samples.text("epic-siu-s12-v23.hl7").replace("100001", "100099")
                    .replace("|6175550123|", "|07700 900123^PRN^CP|").replace("|ENG\r", "|KLINGON\r").getBytes());
            send("DOE JANE 6175550123 is not HL7".getBytes(StandardCharsets.US_ASCII));
            try (MllpClient client = mllp()) {
                client.sendPipelined(List.of(Samples.siu("PHI-1", "70001"), Samples.siu("PHI-2", "70002")));
            }
            try (Socket raw = new Socket("127.0.0.1", mllpPort)) {
                OutputStream out = raw.getOutputStream();
                out.write("junk before DOE JANE".getBytes(StandardCharsets.US_ASCII));
                out.write(MllpClient.frame(Samples.siu("PHI-3", "70003")));
                out.write(new byte[] {0x0b});
                out.write("MSH|^~\\&|EPIC|EPICADT|||2026||SIU^S12|PARTIAL|P|2.3\rPID|1||E1234567^^^EPI^MR||DOE^JANE"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM hl7_journal "
                    + "WHERE state = 'RECEIVED'") == 0 && count("SELECT COUNT(*) FROM care_event") >= 8);

            assertThat(logs.lines()).isNotEmpty();
            for (String phi : PHI) {
                assertThat(logs.lines()).noneMatch(line -> line.contains(phi));
            }
        }
    }

    @Test
    void noPatientDataFromWhatsAppReachesTheLogs() throws Exception {
        CloudApiSimulator simulator = engine.bean("cloudApiSimulator", CloudApiSimulator.class);
        Outboxes outbox = Outboxes.of(engine);
        try (LogCapture logs = new LogCapture()) {
            simulator.addFault(new Fault("+16175550199", null, null, null, 131026, 400, 0, 0, false, null, null, 1));
            simulator.addFault(new Fault("+16175550198", null, null, null, null, null, 0, 0, true, null, null, 1));
            long unreachable = outbox.planTemplate("phi-1", "+16175550199", "appointment_reminder", Instant.now());
            long unknown = outbox.planTemplate("phi-2", "+16175550198", "appointment_reminder", Instant.now());
            simulator.reply("16175550197", null, "text", null, "my chest hurts since the operation");
            byte[] forged = "{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"16175550196\"}]}}]}]}"
                    .getBytes(StandardCharsets.UTF_8);
            http("POST", "/webhooks/whatsapp", null, forged);

            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.state(unreachable) == OutboundState.FAILED
                    && outbox.state(unknown) == OutboundState.UNKNOWN
                    && count("SELECT COUNT(*) FROM wa_inbound_message") == 1);

            assertThat(logs.lines()).isNotEmpty();
            for (String phi : List.of("16175550199", "16175550198", "16175550197", "16175550196", "chest")) {
                assertThat(logs.lines()).noneMatch(line -> line.contains(phi));
            }
        }
    }
}
