package org.careloop.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports CareLoop listens on, checked to be distinct before anything binds. Two of its own servers on one port do
 * not always fail to start: the HTTP server and the WhatsApp sandbox both bound 127.0.0.1 on one port, and the
 * operator API's requests were then answered by the simulator (a 400 "Unknown path components").
 */
final class ListenerPorts {

    private final Map<String, Integer> ports = new LinkedHashMap<>();

    /** Adds a listener by the property that sets its port. */
    ListenerPorts add(String property, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(property + "=" + port + " is not a TCP port; use 1 to 65535");
        }
        ports.put(property, port);
        return this;
    }

    /** Fails start-up naming every pair of properties that share a port. */
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
