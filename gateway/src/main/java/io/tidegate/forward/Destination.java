package io.tidegate.forward;

import io.tidegate.outbox.OutboxEntry;

import java.io.IOException;
import java.util.List;

/**
 * Where a forwarder delivers. {@link #write} returns only when the destination has durably accepted
 * every entry of the batch; any exception means none of it may be assumed accepted, and the same
 * batch is offered again.
 */
public interface Destination extends AutoCloseable {

    /** Delivers a batch, in order. Called by one forwarder thread only. */
    void write(List<OutboxEntry> batch) throws Exception;

    /** Short human description for logs and status, e.g. the sink directory. */
    String describe();

    @Override
    void close() throws IOException;
}
