package org.careloop.bench;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.careloop.app.CareLoopEngine;
import org.careloop.testing.TestEngines;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Reference;

/**
 * How fast the FHIR subscription endpoint stores and answers a rest-hook PUT (the target: p99 at most 50 ms; HAPI
 * FHIR gives up on a subscriber after about a minute of failures), against a baseline in the same run: the same
 * endpoint refusing a wrong secret, which goes through the same HTTP server and route but stores nothing.
 *
 * <pre>mvn -q test-compile exec:java@bench-subscriptions    # -Dbench.requests=4000 -Dbench.clients=4</pre>
 */
public final class SubscriptionBenchmark {

    private SubscriptionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 4000);
        int clients = Integer.getInteger("bench.clients", 4);
        Path dataDir = Files.createTempDirectory("careloop-subscription-bench");
        Map<String, String> settings = TestEngines.settings(dataDir);
        settings.put("careloop.fhir.subscriptions-file", "src/test/resources/mappings/fhir-subscriptions.yaml");
        settings.put("careloop.fhir.subscriptions.enabled", "false"); // intake only: store and answer
        System.out.printf("FHIR subscription intake: %d rest-hook PUTs from %d clients, %d cores%n%n", requests,
                clients, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-36s %10s %8s %8s %8s%n", "", "requests/s", "p50 ms", "p99 ms", "max ms");
        try (CareLoopEngine engine = CareLoopEngine.start(settings)) {
            String base = "http://127.0.0.1:" + settings.get("careloop.http.port") + "/fhir/subscriptions/appointments";
            run("warm-up (not counted)", base, "Bearer test-subscription-secret", 500, clients, 0, 200, false);
            run("baseline: refused (401, nothing stored)", base, "Bearer wrong", requests, clients, 1_000_000, 401,
                    true);
            run("CareLoop: stored, then 200", base, "Bearer test-subscription-secret", requests, clients, 2_000_000,
                    200, true);
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void run(String label, String base, String authorization, int requests, int clients, int firstId,
            int expected, boolean print) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        FhirContext fhir = FhirContext.forR4Cached();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> {
                for (int i = client; i < requests; i += clients) {
                    Appointment appointment = new Appointment().setStatus(Appointment.AppointmentStatus.BOOKED)
                            .setStart(new Date());
                    appointment.setId(String.valueOf(firstId + i));
                    appointment.getMeta().setVersionId("1");
                    appointment.addParticipant().setActor(new Reference("Patient/1"))
                            .setStatus(Appointment.ParticipationStatus.NEEDSACTION);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/Appointment/" + (firstId + i)))
                            .header("Content-Type", "application/fhir+json").header("If-Match", "W/\"1\"")
                            .header("Authorization", authorization)
                            .PUT(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser()
                                    .encodeResourceToString(appointment))).build();
                    long sent = System.nanoTime();
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    latencies.add(System.nanoTime() - sent);
                    if (response.statusCode() != expected) {
                        throw new IllegalStateException(label + ": HTTP " + response.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        if (print) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("%-36s %10.0f %8.2f %8.2f %8.2f%n", label, requests / seconds, ms(sorted, 0.50),
                    ms(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
        }
    }

    private static double ms(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
    }
}
