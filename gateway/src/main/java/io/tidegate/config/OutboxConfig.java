package io.tidegate.config;

/**
 * The durable queues, one per destination, under {@code <dataDir>/outbox/<destination>}.
 *
 * @param rollCycle how often a queue starts a new file; rolled files are deleted once every reader passed them
 */
public record OutboxConfig(RollCycle rollCycle) {

    public OutboxConfig {
        rollCycle = rollCycle == null ? RollCycle.TEN_MINUTELY : rollCycle;
    }

    public enum RollCycle { FIVE_MINUTELY, TEN_MINUTELY, HALF_HOURLY, HOURLY, DAILY }
}
