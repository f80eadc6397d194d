package io.tidegate.forward.iotcore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IoT Core allows one CONNECT per second per client id; reconnects back off up to 30 s. */
class ReconnectDelayTest {

    @Test
    void neverSoonerThanASecondAfterThePreviousAttempt() {
        for (int failed = 1; failed < 20; failed++) {
            for (long since = 0; since <= 1000; since += 250) {
                long delay = UpstreamConnection.reconnectDelayMs(failed, since, 0.0);
                assertThat(since + delay).as("failed %d, %d ms since", failed, since).isGreaterThanOrEqualTo(1000);
            }
        }
    }

    @Test
    void backsOffExponentiallyWithJitterUpTo30Seconds() {
        assertThat(UpstreamConnection.reconnectDelayMs(1, 5000, 0.0)).isEqualTo(500);
        assertThat(UpstreamConnection.reconnectDelayMs(1, 5000, 0.999)).isBetween(990L, 1000L);
        assertThat(UpstreamConnection.reconnectDelayMs(4, 5000, 0.0)).isEqualTo(4000);
        assertThat(UpstreamConnection.reconnectDelayMs(30, 5000, 0.999)).isBetween(29_900L, 30_000L);
        assertThat(UpstreamConnection.reconnectDelayMs(30, 5000, 0.0)).isEqualTo(15_000);
    }
}
