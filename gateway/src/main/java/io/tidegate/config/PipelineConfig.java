package io.tidegate.config;

/**
 * The ingest ring between the network and the outbox.
 *
 * @param ringSize      slots in the ring, a power of two; a full ring pushes back on device sockets
 * @param waitStrategy  how stage threads wait for work
 */
public record PipelineConfig(Integer ringSize, WaitStrategy waitStrategy) {

    public PipelineConfig {
        ringSize = ringSize == null ? 16_384 : ringSize;
        waitStrategy = waitStrategy == null ? WaitStrategy.BLOCKING : waitStrategy;
    }

    /** {@code blocking} is kind to shared machines; {@code yielding} trades a core for latency. */
    public enum WaitStrategy { BLOCKING, SLEEPING, YIELDING }
}
