package io.tidegate.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.outbox.OutboxEntry;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a forwarder delivers. {@link #write} reports per entry what became of it (accepted,
 * retriable, rejected for good); an exception means nothing of the write may be assumed accepted,
 * and the same entries are offered again. Calls come from the one forwarder thread only.
 */
public interface Destination extends AutoCloseable {

    /**
     * Delivers {@code batch} in order. The batch respects {@link #limits()} measured by
     * {@link #sizeOf}; the forwarder may reuse the list after the call returns.
     */
    WriteResult write(List<OutboxEntry> batch) throws Exception;

    /**
     * Starts writing {@code batch}; the future completes with what {@link #write} would return, or
     * exceptionally where it would throw. The forwarder leaves the list untouched until then, and
     * may have several writes under way ({@code batch.maxInFlight}). By default the write is done
     * at once, on the calling thread; destinations with asynchronous clients override this.
     */
    default CompletableFuture<WriteResult> writeAsync(List<OutboxEntry> batch) throws InterruptedException {
        try {
            return CompletableFuture.completedFuture(write(batch));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Hard limits of one write; {@link DestinationLimits#NONE} when there are none. */
    default DestinationLimits limits() {
        return DestinationLimits.NONE;
    }

    /** The size of {@code entry} as the destination's limits count it; the payload length by default. */
    default long sizeOf(OutboxEntry entry) {
        return entry.payload().length;
    }

    /**
     * The unit the service bills writes in (e.g. {@code kinesis_put_payload_units}), or null: the
     * forwarder meters {@link WriteResult#billableUnits()} under this name.
     */
    default String billableUnit() {
        return null;
    }

    /** Registers the destination's own meters (e.g. connections up), tagged with its name. */
    default void bindTo(MeterRegistry registry, String name) {
    }

    /** Short human description for logs and status, e.g. the sink directory. */
    String describe();

    @Override
    void close() throws IOException;
}
