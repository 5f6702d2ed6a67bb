package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.careloop.testing.LogCapture;
import org.careloop.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At start-up the operator reads where the engine listens, as bound, not Camel's 0.0.0.0. */
class RunningSummaryTest {

    @TempDir
    Path dir;

    @Test
    void theStartUpLineNamesEveryListenerAtItsBoundAddress() throws Exception {
        Map<String, String> settings = TestEngines.settings(dir);
        List<String> lines;
        try (LogCapture logs = new LogCapture()) {
            CareLoopEngine.start(settings).close();
            lines = List.copyOf(logs.lines());
        }

        String http = "http://127.0.0.1:" + settings.get("careloop.http.port");
        assertThat(lines).contains("CareLoop is running: MLLP on 127.0.0.1:" + settings.get("careloop.mllp.port")
                + "; operator API " + http + "/api, WhatsApp webhook " + http + "/webhooks/whatsapp, FHIR subscriptions "
                + http + "/fhir/subscriptions/<id>; WhatsApp sandbox http://127.0.0.1:"
                + settings.get("careloop.whatsapp.sandbox.port") + "; FHIR sandbox http://127.0.0.1:"
                + settings.get("careloop.fhir.sandbox.port") + "/fhir");
        assertThat(lines).noneMatch(line -> line.contains("0.0.0.0"));
    }
}
