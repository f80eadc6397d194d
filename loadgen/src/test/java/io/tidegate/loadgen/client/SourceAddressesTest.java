package io.tidegate.loadgen.client;

import io.tidegate.loadgen.scenario.ScenarioException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceAddressesTest {

    @Test
    void autoSpreadsLargeLoopbackFleetsOver127Addresses() {
        SourceAddresses addresses = SourceAddresses.parse("auto", 100_000, true);

        assertThat(addresses.size()).isEqualTo(5);
        assertThat(addresses.next().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(addresses.next().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void autoLeavesSmallFleetsAndRemoteBrokersToTheKernel() {
        assertThat(SourceAddresses.parse("auto", 1_000, true).next()).isNull();
        assertThat(SourceAddresses.parse("auto", 100_000, false).next()).isNull();
    }

    @Test
    void rangesAreHandedOutRoundRobin() {
        SourceAddresses addresses = SourceAddresses.parse("127.0.0.2-127.0.0.3", 10, true);

        assertThat(addresses.next().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(addresses.next().getAddress().getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(addresses.next().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void rangesAcrossSubnetsAreRefused() {
        assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.1-127.0.1.1", 10, true))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("localAddresses");
    }
}
