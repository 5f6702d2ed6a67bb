package org.careloop.whatsapp.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.careloop.whatsapp.catalog.TemplateDefinition;

/**
 * A WhatsApp Cloud API that runs here: the sandbox for newcomers and test environments, and the peer CareLoop's
 * tests talk to over real HTTP. It behaves as Meta's API does as far as DOMAIN.md documents it:
 *
 * <ul>
 *   <li>{@code POST /{version}/{phone-number-id}/messages}: bearer token, recipient format, template and language in
 *       the catalog and APPROVED, parameter count, the 24 h window for free-form messages, the per-number rate
 *       (130429) and the pair limit (131056); answers a wamid, then calls back with signed status webhooks;</li>
 *   <li>{@code POST /{version}/{phone-number-id}/media}: a multipart upload, answered with a media id;</li>
 *   <li>{@code GET /{version}/{waba-id}/message_templates}: the catalog, paged by {@code after} cursors.</li>
 * </ul>
 *
 * <p>Under {@code /_simulator} it can be told to fail ({@link Fault}), to play a patient replying, to change a
 * template's status, and it lists what it received and the webhooks it sent.
 */
public final class CloudApiSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Pattern GRAPH_PATH = Pattern.compile("/(v\\d+\\.\\d+)/([^/]+)/([a-z_]+)");
    private static final List<String> NORMAL_STATUSES = List.of("sent", "delivered", "read");

    private final SimulatorSettings settings;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("wa-simulator"));
    private final ScheduledExecutorService callbacks = Executors.newScheduledThreadPool(2, daemon("wa-sim-webhook"));
    private final MessageValidator validator;
    private final Limits limits;
    private final Faults faults = new Faults();
    private final SimulatedWebhooks webhooks;
    /** Appended to a thousand times a second; read as snapshots. */
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    static {
        // The JDK server closes keep-alive connections beyond 200 idle ones right after answering; clients sending
        // hundreds of requests at once then reuse closed sockets. An API front end keeps its connections open.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        }
    }

    private CloudApiSimulator(SimulatorSettings settings) throws IOException {
        this.settings = settings;
        this.validator = new MessageValidator(settings.catalog());
        this.limits = new Limits(settings.messagesPerSecond(), settings.pairInterval(), System.nanoTime());
        this.webhooks = new SimulatedWebhooks(settings, callbacks);
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 200);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
    }

    public static CloudApiSimulator start(SimulatorSettings settings) throws IOException {
        CloudApiSimulator simulator = new CloudApiSimulator(settings);
        simulator.server.start();
        return simulator;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public void addFault(Fault fault) {
        faults.add(fault);
    }

    /** Plays a patient answering: a quick-reply tap ("button"), an interactive reply, or a text. */
    public String reply(String fromWaId, String contextWamid, String type, String payload, String text) {
        String wamid = "wamid.IN" + UUID.randomUUID().toString().replace("-", "");
        ObjectNode message = JSON.createObjectNode().put("from", fromWaId).put("id", wamid)
                .put("timestamp", String.valueOf(Instant.now().getEpochSecond())).put("type", type);
        if (contextWamid != null) {
            message.putObject("context").put("from", "15550001234").put("id", contextWamid);
        }
        switch (type) {
            case "button" -> message.putObject("button").put("payload", payload).put("text", text);
            case "interactive" -> message.putObject("interactive").put("type", "button_reply")
                    .putObject("button_reply").put("id", payload).put("title", text);
            default -> message.putObject("text").put("body", text);
        }
        validator.openWindow(fromWaId.replace("+", ""), Instant.now().plus(Duration.ofHours(24)));
        webhooks.reply(message, fromWaId, "Patient");
        return wamid;
    }

    public void setTemplateStatus(String name, String language, String status) {
        validator.setStatus(name, language, status);
        webhooks.templateStatus(name, language, status);
    }

    /** Sends a webhook body exactly as given, signed (to replay one, or to test unusual payloads). */
    public void sendWebhook(String body) {
        webhooks.sendRaw(body);
    }

    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    @Override
    public void close() {
        server.stop(0);
        callbacks.shutdownNow();
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_simulator/")) {
                control(exchange, path.substring("/_simulator/".length()));
                return;
            }
            Matcher graph = GRAPH_PATH.matcher(path);
            if (!graph.matches()) {
                respond(exchange, new CloudApiError(400, 2500, "Unknown path components: " + path));
                return;
            }
            if (!("Bearer " + settings.accessToken()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, new CloudApiError(401, 190, "Invalid OAuth access token"));
                return;
            }
            String id = graph.group(2);
            switch (graph.group(3)) {
                case "messages" -> messages(exchange, id);
                case "media" -> media(exchange, id);
                case "message_templates" -> templates(exchange, id);
                default -> respond(exchange, new CloudApiError(400, 2500, "Unknown path components: " + path));
            }
        }
    }

    private void messages(HttpExchange exchange, String phoneNumberId) throws IOException {
        String body = new String(readAll(exchange.getRequestBody()), StandardCharsets.UTF_8);
        Instant now = Instant.now();
        if (!"POST".equals(exchange.getRequestMethod()) || !settings.phoneNumberId().equals(phoneNumberId)) {
            record(now, exchange, null, body, respond(exchange, new CloudApiError(400, 100,
                    "Unsupported request: object " + phoneNumberId + " does not exist or does not support this")));
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException notJson) {
            record(now, exchange, null, body, respond(exchange, new CloudApiError(400, 100, "Invalid JSON")));
            return;
        }
        String to = request.path("to").asText("");
        String template = request.path("template").path("name").asText(null);
        Optional<Fault> fault = faults.take(to, template, now);
        if (fault.isPresent() && delay(fault.get())) {
            return;
        }
        if (fault.isPresent() && fault.get().errorCode() != null) {
            int status = fault.get().httpStatus() == null ? 400 : fault.get().httpStatus();
            record(now, exchange, request, body, respond(exchange, new CloudApiError(status, fault.get().errorCode(),
                    "simulated failure")));
            return;
        }
        if (fault.isPresent() && fault.get().httpStatus() != null) {
            record(now, exchange, request, body, respondRaw(exchange, fault.get().httpStatus(), "text/html",
                    "<html><body>Service Unavailable</body></html>"));
            return;
        }
        Optional<CloudApiError> invalid = validator.validate(request, now);
        if (invalid.isPresent()) {
            record(now, exchange, request, body, respond(exchange, invalid.get()));
            return;
        }
        int limited = limits.admit(to.replace("+", ""), System.nanoTime());
        if (limited != 0) {
            CloudApiError error = limited == 130429
                    ? new CloudApiError(429, 130429, "Rate limit hit: too many messages from this phone number")
                    : new CloudApiError(400, 131056, "Pair rate limit hit: too many messages to this recipient");
            record(now, exchange, request, body, respond(exchange, error));
            return;
        }
        String wamid = "wamid." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
        String waId = to.replace("+", "");
        ObjectNode answer = JSON.createObjectNode().put("messaging_product", "whatsapp");
        answer.putArray("contacts").addObject().put("input", to).put("wa_id", waId);
        answer.putArray("messages").addObject().put("id", wamid).put("message_status", "accepted");
        respondRaw(exchange, 200, "application/json", answer.toString());
        received.add(new Received(now, exchange.getRequestURI().getPath(), to, template,
                request.path("template").path("language").path("code").asText(null), body, 200, 0, wamid));
        Integer asyncError = fault.map(Fault::asyncErrorCode).orElse(null);
        List<String> order = asyncError != null ? List.of("failed")
                : fault.map(Fault::statusOrder).filter(o -> !o.isBlank())
                        .map(o -> Arrays.asList(o.split(","))).orElse(NORMAL_STATUSES);
        webhooks.statuses(wamid, waId, request.path("biz_opaque_callback_data").asText(null), order, asyncError);
    }

    private void media(HttpExchange exchange, String phoneNumberId) throws IOException {
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        String body = new String(readAll(exchange.getRequestBody()), StandardCharsets.ISO_8859_1);
        if (!settings.phoneNumberId().equals(phoneNumberId) || !contentType.startsWith("multipart/form-data")
                || !body.contains("name=\"messaging_product\"") || !body.contains("name=\"file\"")) {
            respond(exchange, new CloudApiError(400, 100,
                    "Invalid parameter: a multipart upload with messaging_product and file is required"));
            return;
        }
        respondRaw(exchange, 200, "application/json", JSON.createObjectNode()
                .put("id", String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits()))).toString());
    }

    private void templates(HttpExchange exchange, String businessAccountId) throws IOException {
        if (!settings.businessAccountId().equals(businessAccountId)) {
            respond(exchange, new CloudApiError(400, 100, "Unsupported get request: no business account "
                    + businessAccountId));
            return;
        }
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        int limit = Integer.parseInt(queryParameter(query, "limit", "25"));
        String after = queryParameter(query, "after", "");
        int from = after.isEmpty() ? 0 : Integer.parseInt(new String(Base64.getUrlDecoder().decode(after),
                StandardCharsets.US_ASCII));
        List<TemplateDefinition> all = settings.catalog().templates();
        ObjectNode page = JSON.createObjectNode();
        ArrayNode data = page.putArray("data");
        for (int i = from; i < Math.min(all.size(), from + limit); i++) {
            TemplateDefinition t = all.get(i);
            ObjectNode template = data.addObject().put("name", t.name()).put("language", t.language())
                    .put("status", t.status()).put("category", t.category()).put("id", String.valueOf(i + 1));
            ArrayNode components = template.putArray("components");
            if (!t.header().isEmpty()) {
                components.addObject().put("type", "HEADER").put("format", "TEXT").put("text", t.header());
            }
            components.addObject().put("type", "BODY").put("text", t.body());
            if (!t.quickReplies().isEmpty() || !t.urlButton().isEmpty()) {
                ArrayNode buttons = components.addObject().put("type", "BUTTONS").putArray("buttons");
                t.quickReplies().forEach(label -> buttons.addObject().put("type", "QUICK_REPLY").put("text", label));
                if (!t.urlButton().isEmpty()) {
                    buttons.addObject().put("type", "URL").put("text", "View").put("url", t.urlButton());
                }
            }
        }
        ObjectNode cursors = page.putObject("paging").putObject("cursors");
        cursors.put("before", Base64.getUrlEncoder().encodeToString(String.valueOf(from).getBytes()));
        int next = from + limit;
        cursors.put("after", Base64.getUrlEncoder().encodeToString(String.valueOf(Math.min(next, all.size()))
                .getBytes()));
        if (next < all.size()) {
            page.with("paging").put("next", "/" + businessAccountId + "/message_templates?limit=" + limit
                    + "&after=" + cursors.path("after").asText());
        }
        respondRaw(exchange, 200, "application/json", page.toString());
    }

    /** The control API: faults, simulated replies, template status, and what was received and sent. */
    private void control(HttpExchange exchange, String action) throws IOException {
        String method = exchange.getRequestMethod();
        JsonNode body = "POST".equals(method) ? JSON.readTree(readAll(exchange.getRequestBody())) : null;
        switch (method + " " + action) {
            case "GET received" -> respondRaw(exchange, 200, "application/json", JSON.writeValueAsString(received()));
            case "GET webhooks" -> respondRaw(exchange, 200, "application/json",
                    JSON.writeValueAsString(webhooks.deliveries()));
            case "GET faults" -> respondRaw(exchange, 200, "application/json", JSON.writeValueAsString(faults.list()));
            case "POST faults" -> {
                faults.add(JSON.treeToValue(body, Fault.class));
                respondRaw(exchange, 201, "application/json", "{}");
            }
            case "DELETE faults" -> {
                faults.clear();
                respondRaw(exchange, 204, "application/json", "");
            }
            case "POST replies" -> respondRaw(exchange, 201, "application/json", JSON.createObjectNode()
                    .put("id", reply(body.path("from").asText(), body.path("context").asText(null),
                            body.path("type").asText("text"), body.path("payload").asText(null),
                            body.path("text").asText(""))).toString());
            case "POST template-status" -> {
                setTemplateStatus(body.path("name").asText(), body.path("language").asText(),
                        body.path("status").asText());
                respondRaw(exchange, 200, "application/json", "{}");
            }
            case "POST reset" -> {
                received.clear();
                faults.clear();
                webhooks.clear();
                respondRaw(exchange, 200, "application/json", "{}");
            }
            default -> respondRaw(exchange, 404, "application/json", "{\"error\":\"no such simulator action\"}");
        }
    }

    /** Applies a fault's latency or hang; true when the request is to get no answer at all. */
    private boolean delay(Fault fault) {
        try {
            if (fault.hang()) {
                Thread.sleep(Duration.ofMinutes(10).toMillis());
                return true;
            }
            if (fault.latencyMaxMs() > 0) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(fault.latencyMinMs(), fault.latencyMaxMs() + 1));
            }
            return false;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void record(Instant at, HttpExchange exchange, JsonNode request, String body, CloudApiError error) {
        received.add(new Received(at, exchange.getRequestURI().getPath(),
                request == null ? null : request.path("to").asText(null),
                request == null ? null : request.path("template").path("name").asText(null),
                request == null ? null : request.path("template").path("language").path("code").asText(null),
                body, error.httpStatus(), error.code(), null));
    }

    private static CloudApiError respond(HttpExchange exchange, CloudApiError error) throws IOException {
        respondRaw(exchange, error.httpStatus(), "application/json", error.json());
        return error;
    }

    private static CloudApiError respondRaw(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return new CloudApiError(status, 0, "");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static String queryParameter(String query, String name, String defaultValue) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return defaultValue;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
