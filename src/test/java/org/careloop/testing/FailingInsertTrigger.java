package org.careloop.testing;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** An H2 trigger that fails every insert, as a full disk or a broken store would: installed to test AR. */
public final class FailingInsertTrigger implements Trigger {

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("simulated store failure", "HY000", 90_000);
    }
}
