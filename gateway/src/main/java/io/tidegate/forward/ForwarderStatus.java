package io.tidegate.forward;

/**
 * What a forwarder reports in {@code /api/status}: immutable, replaced on each change.
 *
 * @param destination   destination name
 * @param target        where it writes (human readable)
 * @param state         {@code healthy}, {@code degraded} (writes failing, retried) or {@code failed} (stopped)
 * @param lastError     the latest write error, or null
 * @param delivered     messages delivered since start
 */
public record ForwarderStatus(String destination, String target, String state, String lastError, long delivered) {

    static ForwarderStatus healthy(String destination, String target) {
        return new ForwarderStatus(destination, target, "healthy", null, 0);
    }

    ForwarderStatus degraded(String error) {
        return new ForwarderStatus(destination, target, "degraded", error, delivered);
    }

    ForwarderStatus failed(String error) {
        return new ForwarderStatus(destination, target, "failed", error, delivered);
    }

    ForwarderStatus delivered(int count) {
        return new ForwarderStatus(destination, target, "healthy", lastError, delivered + count);
    }

    public boolean isHealthy() {
        return "healthy".equals(state);
    }
}
