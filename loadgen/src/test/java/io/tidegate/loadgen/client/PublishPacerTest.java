package io.tidegate.loadgen.client;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PublishPacerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void messagesAreDueAtFixedIntervalsFromTheFirst() {
        PublishPacer pacer = new PublishPacer(5 * SECOND, SECOND / 4);

        assertThat(pacer.isDue(5 * SECOND - 1)).isFalse();
        assertThat(pacer.isDue(5 * SECOND)).isTrue();
        pacer.advance();
        assertThat(pacer.nextIntendedNanos()).isEqualTo(5 * SECOND + SECOND / 4);
    }

    @Test
    void afterAStallEveryMissedMessageIsDueWithItsOwnIntendedTime() {
        PublishPacer pacer = new PublishPacer(0, 100);
        long now = 1_000;
        int due = 0;
        long lastIntended = -1;
        while (pacer.isDue(now)) {
            assertThat(pacer.nextIntendedNanos()).isGreaterThan(lastIntended);
            lastIntended = pacer.nextIntendedNanos();
            pacer.advance();
            due++;
        }
        // Latency is measured from these intended times, so the stall shows up as latency.
        assertThat(due).isEqualTo(11);
        assertThat(lastIntended).isEqualTo(1_000);
    }

    @Test
    void aFleetIsSpreadOverTheFirstInterval() {
        long interval = 10 * SECOND;
        Set<Long> tenths = new HashSet<>();
        for (int device = 0; device < 100; device++) {
            PublishPacer pacer = PublishPacer.forDevice(0, 0.1, device);
            assertThat(pacer.intervalNanos()).isEqualTo(interval);
            assertThat(pacer.nextIntendedNanos()).isBetween(0L, interval - 1);
            tenths.add(pacer.nextIntendedNanos() * 10 / interval);
        }
        assertThat(tenths).hasSize(10);
    }
}
