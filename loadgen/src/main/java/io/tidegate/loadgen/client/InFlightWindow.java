package io.tidegate.loadgen.client;

/**
 * One device's unacknowledged QoS 1/2 publishes. Each slot owns a fixed packet id (slot + 1), so a
 * packet id is reused only after its acknowledgement, as MQTT requires, and looking up a send time
 * is an array index. Two small arrays per device; no allocation per message. Event-loop thread only.
 */
public final class InFlightWindow {

    private final long[] intendedNanos;
    private final int[] freeSlots;
    private final boolean[] busy;
    private int free;
    private int limit;

    public InFlightWindow(int capacity) {
        intendedNanos = new long[capacity];
        freeSlots = new int[capacity];
        busy = new boolean[capacity];
        // Lowest packet ids first: pop from the end, so fill in reverse.
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        free = capacity;
        limit = capacity;
    }

    /** Lowers the usable size, e.g. to the broker's MQTT 5 Receive Maximum. */
    public void limitTo(int maximum) {
        limit = Math.max(1, Math.min(maximum, intendedNanos.length));
    }

    /** Takes a slot for a publish meant to go out at {@code intended}; returns its packet id, or 0 when full. */
    public int acquire(long intended) {
        if (free == 0 || size() >= limit) {
            return 0;
        }
        int slot = freeSlots[--free];
        busy[slot] = true;
        intendedNanos[slot] = intended;
        return slot + 1;
    }

    /** Frees the packet id's slot and returns its intended send time, or -1 when it was not in flight. */
    public long release(int packetId) {
        int slot = packetId - 1;
        if (slot < 0 || slot >= busy.length || !busy[slot]) {
            return -1;
        }
        busy[slot] = false;
        freeSlots[free++] = slot;
        return intendedNanos[slot];
    }

    public boolean contains(int packetId) {
        int slot = packetId - 1;
        return slot >= 0 && slot < busy.length && busy[slot];
    }

    public int size() {
        return intendedNanos.length - free;
    }

    public boolean isEmpty() {
        return free == intendedNanos.length;
    }
}
