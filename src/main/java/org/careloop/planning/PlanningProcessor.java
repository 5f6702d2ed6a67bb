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
import org.careloop.whatsapp.outbox.Outbox;

/**
 * Plans a stored CareEvent into the outbox as the {@value CareEventStore#QUEUE} queue hands it on (an appointment's
 * events one at a time, in order), in the queue entry's transaction: the event's plan, its "planned" mark and the
 * entry's completion commit together, so after a crash an event is either planned or still in line, never half
 * planned. An event the other channel already superseded is marked so and plans nothing.
 */
public final class PlanningProcessor {

    /** The header holding the id of the stored event in the body. */
    public static final String EVENT_ID = "CareLoopEventId";
    private static final ObjectMapper JSON = EventJson.mapper();

    private final Planner planner;
    private final Clock clock;

    public PlanningProcessor(Planner planner, Clock clock) {
        this.planner = planner;
        this.clock = clock;
    }

    /**
     * The stored event the queue entry names (its id), as the exchange's body, with its id in {@link #EVENT_ID}: what
     * a site's own steps between this and {@link #plan} see. An event planned already (an entry put back by an
     * operator) ends the exchange here.
     */
    public void load(Exchange exchange) throws SQLException, IOException {
        long id = exchange.getIn().getBody(Long.class);
        Optional<String> payload = Reads.first(QueueTransaction.connection(exchange), "SELECT payload FROM care_event "
                + "WHERE id = ? AND plan_state = 'NEW'", row -> row.getString(1), id);
        if (payload.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getIn().setHeader(EVENT_ID, id);
        exchange.getIn().setBody(JSON.readValue(payload.get(), CareEvent.class));
    }

    /** Plans the CareEvent in the body (stored as {@link #EVENT_ID}), in the queue entry's transaction. */
    public void plan(Exchange exchange) throws SQLException, IOException {
        Connection connection = QueueTransaction.connection(exchange);
        QueueTransaction.signalOnCommit(exchange, Outbox.DUE_SIGNAL); // a message due now is sent without a poll
        CareEvent event = exchange.getIn().getBody(CareEvent.class);
        long id = exchange.getIn().getHeader(EVENT_ID, Long.class);
        Instant now = clock.instant();
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
