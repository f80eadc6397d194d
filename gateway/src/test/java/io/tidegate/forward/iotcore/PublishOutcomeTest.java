package io.tidegate.forward.iotcore;

import io.tidegate.forward.WriteResult.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5 PUBACK reason codes [MQTT-3.4.2.1] mapped to what the forwarder does with the message. */
class PublishOutcomeTest {

    @Test
    void successAndNoMatchingSubscribersAreAccepted() {
        assertThat(PublishOutcome.fromReasonCode(1, 0, 0x00).outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(PublishOutcome.fromReasonCode(1, 0, 0x10).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void refusalsThatARetryCannotChangeAreRejected() {
        for (int code : new int[]{0x87, 0x90, 0x95, 0x99}) {
            assertThat(PublishOutcome.fromReasonCode(1, 3, code).outcome()).as("0x%02X", code).isEqualTo(Outcome.REJECTED);
        }
        assertThat(PublishOutcome.fromReasonCode(1, 3, 0x87).reason()).isEqualTo("PUBACK 0x87 (not authorized)");
    }

    @Test
    void quotaExceededIsAThrottleAndOtherErrorsAreRetried() {
        assertThat(PublishOutcome.fromReasonCode(1, 0, 0x97).outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(PublishOutcome.fromReasonCode(1, 0, 0x80).outcome()).isEqualTo(Outcome.RETRIABLE);
        assertThat(PublishOutcome.fromReasonCode(1, 0, 0x83).outcome()).isEqualTo(Outcome.RETRIABLE);
    }
}
