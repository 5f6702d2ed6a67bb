package org.careloop.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings for an engine of a test or benchmark: its own store (see {@link TestStores}), and every listener on its own
 * loopback port.
 */
public final class TestEngines {

    public static final String API_TOKEN = "test-token";

    private TestEngines() {
    }

    public static Map<String, String> settings(Path dataDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("careloop.data-dir", dataDir.toString());
        if (TestStores.postgresql()) {
            settings.put("careloop.store.url", TestStores.postgresqlStore(dataDir));
            // an engine started again after a kill -9 takes over its earlier life's claims when they run out
            settings.put("careloop.store.claim-lease-seconds", "3");
        }
        settings.put("careloop.mllp.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.http.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.whatsapp.sandbox.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.fhir.sandbox.port", String.valueOf(TestPorts.next()));
        settings.put("careloop.api.token", API_TOKEN);
        return settings;
    }
}
