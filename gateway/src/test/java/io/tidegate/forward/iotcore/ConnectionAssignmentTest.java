package io.tidegate.forward.iotcore;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionAssignmentTest {

    @Test
    void devicesAreDealtEvenlyAndKeepTheirConnection() {
        ConnectionAssignment assignment = new ConnectionAssignment(4);
        Map<Integer, Integer> devicesPerConnection = new HashMap<>();
        for (int d = 0; d < 40; d++) {
            devicesPerConnection.merge(assignment.of("device-" + d), 1, Integer::sum);
        }
        assertThat(devicesPerConnection).containsOnlyKeys(0, 1, 2, 3).allSatisfy((c, n) -> assertThat(n).isEqualTo(10));
        int first = assignment.of("device-17");
        assertThat(assignment.of("device-17")).isEqualTo(first);
    }

    @Test
    void theFallbackIsStableForOneSetOfLiveConnections() {
        for (int live = 1; live <= 5; live++) {
            int f = ConnectionAssignment.fallback("device-3", live);
            assertThat(f).isBetween(0, live - 1).isEqualTo(ConnectionAssignment.fallback("device-3", live));
        }
    }
}
