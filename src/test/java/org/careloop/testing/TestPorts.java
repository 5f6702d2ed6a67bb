package org.careloop.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for the listeners of tests and benchmarks, each handed out once per JVM.
 *
 * <p>Asking the OS for a free port (bind to 0, close, reuse the number) can return the same number twice in a row,
 * which gave two listeners of one test engine the same port; and a number from the ephemeral range can be taken by
 * an outgoing connection before the listener binds it. These ports come from below Linux's ephemeral range
 * (32768-60999), from a counter that never repeats a number, starting at an offset taken from the process id so
 * that two JVMs (a test run and a benchmark) start far apart; each is checked bindable before it is handed out.
 */
public final class TestPorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final AtomicInteger NEXT =
            new AtomicInteger(FIRST + (int) (ProcessHandle.current().pid() * 1_009 % (LAST - FIRST)));

    private TestPorts() {
    }

    /** A loopback port no other caller in this JVM has been given, free at the time of the call. */
    public static int next() {
        for (int tries = 0; tries < LAST - FIRST; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement() - FIRST, LAST - FIRST);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port between " + FIRST + " and " + LAST);
    }

    private static boolean bindable(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
