package org.careloop.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for an engine of a test or benchmark: its own store, and every listener on its own loopback port. */
public final class TestEngines {

    public static final String API_TOKEN = "test-token";

    private TestEngines() {
    }

    public static Map<String, String> settings(Path dataDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("careloop.data-dir", dataDir.toString());
        settings.put("careloop.mllp.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.http.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.whatsapp.sandbox.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.fhir.sandbox.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.api.token", API_TOKEN);
        return settings;
    }
}
