package io.tidegate.loadgen.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightWindowTest {

    @Test
    void acquiresDistinctPacketIdsUpToTheCapacity() {
        InFlightWindow window = new InFlightWindow(3);

        assertThat(window.acquire(10)).isEqualTo(1);
        assertThat(window.acquire(20)).isEqualTo(2);
        assertThat(window.acquire(30)).isEqualTo(3);
        assertThat(window.acquire(40)).isZero();
        assertThat(window.size()).isEqualTo(3);
    }

    @Test
    void releaseReturnsTheIntendedTimeAndFreesTheIdForReuse() {
        InFlightWindow window = new InFlightWindow(2);
        int first = window.acquire(111);
        int second = window.acquire(222);

        assertThat(window.release(second)).isEqualTo(222);
        assertThat(window.release(second)).isEqualTo(-1);
        assertThat(window.acquire(333)).isEqualTo(second);
        assertThat(window.release(first)).isEqualTo(111);
        assertThat(window.contains(second)).isTrue();
    }

    @Test
    void unknownPacketIdsAreNotInFlight() {
        InFlightWindow window = new InFlightWindow(2);

        assertThat(window.release(0)).isEqualTo(-1);
        assertThat(window.release(3)).isEqualTo(-1);
        assertThat(window.release(1)).isEqualTo(-1);
        assertThat(window.isEmpty()).isTrue();
    }

    @Test
    void aBrokerReceiveMaximumLowersTheUsableSize() {
        InFlightWindow window = new InFlightWindow(10);
        window.limitTo(2);

        assertThat(window.acquire(1)).isNotZero();
        assertThat(window.acquire(2)).isNotZero();
        assertThat(window.acquire(3)).isZero();
    }
}
