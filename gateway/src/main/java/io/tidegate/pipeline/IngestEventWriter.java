package io.tidegate.pipeline;

/**
 * Fills a ring slot from a producer's objects. Implementations should be stateless constants
 * (non-capturing) so publishing allocates nothing.
 */
@FunctionalInterface
public interface IngestEventWriter<A, B> {

    void write(IngestEvent event, A a, B b);
}
