package org.careloop.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.careloop.queue.QueueComponent;
import org.careloop.queue.WorkQueue;
import org.careloop.store.Reads;

/**
 * GET /api/queues: for each work queue (those a route consumes, and any holding entries), the entries in line, the
 * time the oldest of them was added, and the entries parked FAILED; what an operator watches for a stage falling
 * behind.
 */
public final class QueuesApi {

    private final DataSource dataSource;
    private final QueueComponent queues;

    public QueuesApi(DataSource dataSource, QueueComponent queues) {
        this.dataSource = dataSource;
        this.queues = queues;
    }

    public void depths(Exchange exchange) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            TreeSet<String> names = new TreeSet<>(queues.consumedQueues());
            names.addAll(Reads.list(connection, "SELECT DISTINCT queue FROM work_queue", row -> row.getString(1)));
            List<WorkQueue.Depth> depths = new ArrayList<>();
            for (String name : names) {
                depths.add(WorkQueue.depth(connection, name));
            }
            Reads.end(connection);
            JsonResponses.ok(exchange, depths);
        }
    }
}
