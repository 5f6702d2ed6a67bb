package org.careloop.hl7.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.careloop.event.CareEvent;
import org.careloop.hl7.intake.InboundMessage;
import org.careloop.hl7.journal.StoredMessage;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/**
 * The journal's stage parses on several threads with one extractor. Its first messages of each structure arrive
 * together after a start (a restart with a backlog): each must become its event, none fail for the parse racing
 * another thread's.
 */
class ConcurrentExtractionTest {

    /** Two threads on each of four structures: the first parses of one structure race each other. */
    private static final List<String> SAMPLES = List.of("epic-siu-s12-v23.hl7", "epic-siu-s12-v23.hl7",
            "adt-a08-update.hl7", "adt-a08-update.hl7", "oru-r01-result.hl7", "oru-r01-result.hl7",
            "siu-s15-cancel-v24.hl7", "siu-s15-cancel-v24.hl7");
    private static final int ROUNDS = 1_000;

    @Test
    void aFreshExtractorParsesItsFirstMessagesOnEightThreadsAtOnce() throws Exception {
        List<StoredMessage> messages = SAMPLES.stream().map(ConcurrentExtractionTest::stored).toList();
        ExecutorService threads = Executors.newFixedThreadPool(messages.size());
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CareEventExtractor extractor = new CareEventExtractor(ZoneId.of("America/New_York"), "US",
                        SiteCodes.none(), Optional.empty());
                CyclicBarrier together = new CyclicBarrier(messages.size());
                List<Future<CareEvent>> events = new ArrayList<>();
                for (StoredMessage message : messages) {
                    events.add(threads.submit(() -> {
                        together.await();
                        return extractor.extract(message);
                    }));
                }
                for (int i = 0; i < events.size(); i++) {
                    assertThat(events.get(i).get(30, TimeUnit.SECONDS).source().controlId())
                            .as("round %d, %s", round, SAMPLES.get(i)).isNotBlank();
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static StoredMessage stored(String sample) {
        byte[] raw = Samples.bytes(sample);
        InboundMessage inbound = InboundMessage.decode(raw, StandardCharsets.UTF_8);
        return new StoredMessage(1, Instant.parse("2026-11-26T15:00:00Z"), inbound.header().messageType(),
                inbound.header().triggerEvent(), inbound.charset().name(), raw);
    }
}
