package io.tidegate.loadgen.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * What should have arrived, when known: devices {@code prefix-first .. prefix-(first+devices-1)}
 * and sequence numbers 1..messagesPerDevice from each. Without it, each device that appears is
 * checked from 1 up to the highest number seen, and absent devices cannot be noticed.
 *
 * @param devices           expected device count, 0 for unknown
 * @param messagesPerDevice expected messages per device, 0 for unknown
 */
public record Expectation(int devices, String devicePrefix, int firstDevice, long messagesPerDevice) {

    public static Expectation none() {
        return new Expectation(0, "device", 1, 0);
    }

    public List<String> deviceIds() {
        List<String> ids = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            ids.add(devicePrefix + "-" + (firstDevice + i));
        }
        return ids;
    }
}
