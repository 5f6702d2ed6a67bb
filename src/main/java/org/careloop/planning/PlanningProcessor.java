package org.careloop.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.careloop.event.CareEvent;
import org.careloop.event.CareEventStore;
import org.careloop.event.EventJson;
import org.careloop.queue.QueueTransaction;
import org.careloop.store.Reads;
import org.careloop.store.Writes;

/**
 * Plans a stored CareEvent into the outbox as the {@value CareEventStore#QUEUE} queue hands it on (an appointment's
 * events one at a time, in order), in the queue entry's transaction: the event's plan, its "planned" mark and the
 * entry's completion commit together, so after a crash an event is either planned or still in line, never half
 * planned. An event the other channel already superseded is marked so and plans nothing.
 */
public final class PlanningProcessor {

    private static final ObjectMapper JSON = EventJson.mapper();

    private final Planner planner;
    private final Clock clock;

    public PlanningProcessor(Planner planner, Clock clock) {
        this.planner = planner;
        this.clock = clock;
    }

    /** Plans the event the queue entry names (its id); one planned already (put back by an operator) is left. */
    public void plan(Exchange exchange) throws SQLException, IOException {
        Connection connection = QueueTransaction.connection(exchange);
        long id = exchange.getIn().getBody(Long.class);
        Optional<String> payload = Reads.first(connection, "SELECT payload FROM care_event WHERE id = ? AND "
                + "plan_state = 'NEW'", row -> row.getString(1), id);
        if (payload.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        CareEvent event = JSON.readValue(payload.get(), CareEvent.class);
        Optional<String> superseded = ChannelOrder.superseded(connection, event);
        if (superseded.isPresent()) {
            Writes.update(connection, "UPDATE care_event SET plan_state = 'SUPERSEDED', plan_reason = ? WHERE id = ?",
                    superseded.get(), id);
            return;
        }
        ChannelOrder.applied(connection, event, id);
        PlanWriter.apply(connection, planner.plan(event, now), now);
        PlanWriter.apply(connection, PendingRefresh.after(connection, planner, event, now), now);
        Writes.update(connection, "UPDATE care_event SET plan_state = 'PLANNED' WHERE id = ?", id);
    }
}
