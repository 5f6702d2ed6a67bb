package org.careloop.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.careloop.event.CareEvent;
import org.careloop.event.EventJson;
import org.careloop.store.EachAlone;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.StoreFailures;
import org.careloop.store.Writes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans the stored CareEvents into the outbox, oldest first: each event's plan and its "planned" mark commit
 * together, so after a crash an event is either planned or still NEW, never half planned. An event that cannot be
 * planned fails alone (FAILED) and the others are planned. Runs from the scheduler
 * route {@code care-events-to-outbox}.
 */
public final class PlanningProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PlanningProcessor.class);
    private static final ObjectMapper JSON = EventJson.mapper();

    private record NewEvent(long id, String payload) {
    }

    private final Planner planner;
    private final GroupCommitWriter writer;
    private final int batchSize;
    private final Clock clock;

    public PlanningProcessor(Planner planner, GroupCommitWriter writer, int batchSize, Clock clock) {
        this.planner = planner;
        this.writer = writer;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        int planned = 0;
        try {
            planned = planBatch();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not plan CareEvents, will retry: {}", StoreFailures.describe(e));
        }
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, planned > 0);
    }

    public int planBatch() throws InterruptedException, ExecutionException, TimeoutException {
        return writer.submit(connection -> {
            List<NewEvent> events = Reads.list(connection, "SELECT id, payload FROM care_event WHERE plan_state = 'NEW' "
                    + "ORDER BY id LIMIT ?", row -> new NewEvent(row.getLong(1), row.getString(2)), batchSize);
            Instant now = clock.instant();
            EachAlone.run(connection, events, (c, stored) -> {
                CareEvent event = JSON.readValue(stored.payload(), CareEvent.class);
                Optional<String> superseded = ChannelOrder.superseded(c, event);
                if (superseded.isPresent()) {
                    Writes.update(c, "UPDATE care_event SET plan_state = 'SUPERSEDED', plan_reason = ? WHERE id = ?",
                            superseded.get(), stored.id());
                    return;
                }
                ChannelOrder.applied(c, event, stored.id());
                PlanWriter.apply(c, planner.plan(event, now), now);
                PlanWriter.apply(c, PendingRefresh.after(c, planner, event, now), now);
                Writes.update(c, "UPDATE care_event SET plan_state = 'PLANNED' WHERE id = ?", stored.id());
            }, (c, stored, cause) -> {
                LOG.warn("CareEvent {} could not be planned: {}", stored.id(), StoreFailures.describe(cause));
                Writes.update(c, "UPDATE care_event SET plan_state = 'FAILED', plan_reason = ? WHERE id = ?",
                        EachAlone.reason(cause), stored.id());
            });
            return events.size();
        }).get(60, TimeUnit.SECONDS);
    }
}
