package io.tidegate.pipeline;

/**
 * Receives every message after it was stored, on the ack stage's thread, in ring order: the MQTT
 * layer acknowledges the publisher and delivers to local subscribers. Must not block: queue work
 * for event loops and hand it over at {@link #endOfBatch()}, so each channel is flushed once per batch.
 */
public interface StoredMessageListener {

    void onStored(IngestEvent event);

    /** The ring has no more events ready: hand over everything queued since the last call. */
    void endOfBatch();
}
