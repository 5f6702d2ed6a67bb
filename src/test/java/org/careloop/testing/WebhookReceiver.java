package org.careloop.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP endpoint that takes webhooks and keeps each body with its signature header, answering 200. */
public final class WebhookReceiver implements AutoCloseable {

    /** One webhook as received. */
    public record Received(byte[] body, String signature) {

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(new Received(exchange.getRequestBody().readAllBytes(),
                        exchange.getRequestHeaders().getFirst("X-Hub-Signature-256")));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
