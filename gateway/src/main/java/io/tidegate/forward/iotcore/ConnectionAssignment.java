package io.tidegate.forward.iotcore;

import java.util.HashMap;
import java.util.Map;

/**
 * Which pool connection carries a device's messages: devices are dealt round-robin as they first
 * appear, so the pool's rate budget is shared evenly, and a device keeps its connection (so its
 * messages stay in order on one MQTT connection). Used by the forwarder thread only. The map is
 * bounded: past {@link #MAX_DEVICES} it starts over, which only re-deals devices between writes.
 */
final class ConnectionAssignment {

    static final int MAX_DEVICES = 1_000_000;

    private final int poolSize;
    private final Map<String, Integer> byDevice = new HashMap<>();
    private int next;

    ConnectionAssignment(int poolSize) {
        this.poolSize = poolSize;
    }

    int of(String device) {
        Integer connection = byDevice.get(device);
        if (connection == null) {
            if (byDevice.size() >= MAX_DEVICES) {
                byDevice.clear();
            }
            connection = next;
            next = (next + 1) % poolSize;
            byDevice.put(device, connection);
        }
        return connection;
    }

    /** A stand-in while a device's own connection is down: stable for a given set of live ones. */
    static int fallback(String device, int liveConnections) {
        int h = device.hashCode() * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 16), liveConnections);
    }
}
