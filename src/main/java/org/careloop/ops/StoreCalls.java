package org.careloop.ops;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Writes;

/** An operator's write waits for its commit: the answer says what is stored, or the request fails with a 500. */
final class StoreCalls {

    private StoreCalls() {
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the store did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * An operator's change to one row: runs an UPDATE whose last parameter is the id, and answers 409 with
     * {@code refusal} when no row was in a state to take it.
     */
    static void changeOne(GroupCommitWriter writer, Object id, String sql, String refusal, Object... leading) {
        Object[] parameters = Arrays.copyOf(leading, leading.length + 1);
        parameters[leading.length] = id;
        int changed = await(writer.submit(connection -> Writes.update(connection, sql, parameters)));
        if (changed != 1) {
            throw new BadRequestException(409, refusal);
        }
    }
}
