package org.careloop.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.careloop.event.EventJson;

/**
 * Adds the exchange's body to the queue: a text as it is, anything else as JSON. On a route consuming from a queue,
 * in the transaction of the entry being handled (the hand-off commits with it, or not at all); elsewhere in a
 * transaction of its own, committed before the exchange goes on.
 */
final class QueueProducer extends DefaultProducer {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final long COMMIT_TIMEOUT_SECONDS = 30;

    private final QueueEndpoint endpoint;

    QueueProducer(QueueEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        String entry = body instanceof String text ? text : JSON.writeValueAsString(body);
        String orderKey = exchange.getIn().getHeader(QueueHeaders.ORDER_KEY, String.class);
        QueueComponent component = endpoint.getComponent();
        if (QueueTransaction.of(exchange).isPresent()) {
            QueueTransaction.enqueue(exchange, endpoint.getName(), orderKey, entry, component.getClock().instant());
            return;
        }
        component.writer().submit(connection -> {
            WorkQueue.enqueue(connection, endpoint.getName(), orderKey, entry, component.getClock().instant());
            return null;
        }).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        component.signals().signal(endpoint.getName());
    }
}
