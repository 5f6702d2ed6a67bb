package org.careloop.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.careloop.settings.FhirSettings;
import org.careloop.settings.HttpSettings;
import org.careloop.settings.MllpSettings;
import org.careloop.settings.WhatsAppSandboxSettings;
import org.careloop.settings.WhatsAppSettings;

/**
 * The ports CareLoop listens on, checked to be distinct before anything binds. Two of its own servers on one port do
 * not always fail to start: the HTTP server and the WhatsApp sandbox both bound 127.0.0.1 on one port, and the
 * operator API's requests were then answered by the simulator (a 400 "Unknown path components").
 */
final class ListenerPorts {

    private final Map<String, Integer> ports = new LinkedHashMap<>();

    /** Every port this engine will listen on, from its settings; the sandboxes only in their modes. */
    static ListenerPorts of(CamelContext camel) {
        ListenerPorts ports = new ListenerPorts()
                .add("careloop.mllp.port", SettingsBeans.of(camel, MllpSettings.class).port())
                .add("careloop.http.port", SettingsBeans.of(camel, HttpSettings.class).port());
        if (SettingsBeans.of(camel, WhatsAppSettings.class).sandbox()) {
            ports.add("careloop.whatsapp.sandbox.port", SettingsBeans.of(camel, WhatsAppSandboxSettings.class).port());
        }
        FhirSettings fhir = SettingsBeans.of(camel, FhirSettings.class);
        if (fhir.sandbox()) {
            ports.add("careloop.fhir.sandbox.port", fhir.sandboxPort());
        }
        return ports;
    }

    /** Adds a listener by the key that sets its port. */
    private ListenerPorts add(String key, int port) {
        ports.put(key, port);
        return this;
    }

    /** Fails start-up naming every pair of keys that share a port. */
    void requireDistinct() {
        List<String> clashes = new ArrayList<>();
        List<Map.Entry<String, Integer>> listed = new ArrayList<>(ports.entrySet());
        for (int i = 0; i < listed.size(); i++) {
            for (int j = i + 1; j < listed.size(); j++) {
                if (listed.get(i).getValue().equals(listed.get(j).getValue())) {
                    clashes.add(listed.get(i).getKey() + " and " + listed.get(j).getKey() + " are both "
                            + listed.get(i).getValue());
                }
            }
        }
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", clashes)
                    + ": each listener needs a port of its own; change one of them");
        }
    }
}
