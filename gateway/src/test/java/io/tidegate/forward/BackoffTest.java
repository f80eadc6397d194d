package io.tidegate.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void delaysStayBelowTheCappedExponentialCeiling() {
        Backoff backoff = new Backoff(100, 30_000);
        for (int n = 0; n < 40; n++) {
            long ceiling = Math.min(30_000, 100L << Math.min(n, 40));
            long delay = backoff.nextDelayMs();

            assertThat(delay).as("retry %d", n).isBetween(0L, ceiling - 1);
            assertThat(backoff.attempts()).isEqualTo(n + 1);
        }
    }

    @Test
    void delaysAreJitteredAcrossTheWholeRange() {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 2_000; i++) {
            Backoff backoff = new Backoff(1_000, 60_000);
            long delay = backoff.nextDelayMs();
            max = Math.max(max, delay);
            min = Math.min(min, delay);
        }

        assertThat(min).isLessThan(100);
        assertThat(max).isGreaterThan(900).isLessThan(1_000);
    }

    @Test
    void theCeilingIsReachedAndHeld() {
        Backoff backoff = new Backoff(10, 50);
        for (int i = 0; i < 3; i++) {
            backoff.nextDelayMs(); // ceilings 10, 20, 40
        }
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long delay = backoff.nextDelayMs();
            assertThat(delay).isBetween(0L, 49L);
            max = Math.max(max, delay);
        }

        assertThat(max).isEqualTo(49);
    }

    @Test
    void resetStartsFromTheBaseAgain() {
        Backoff backoff = new Backoff(8, 10_000);
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMs();
        }

        backoff.reset();

        assertThat(backoff.attempts()).isZero();
        for (int i = 0; i < 200; i++) {
            backoff.reset();
            assertThat(backoff.nextDelayMs()).isBetween(0L, 7L);
        }
    }

    @Test
    void manyRetriesOfALargeBaseDoNotOverflowToNoWaitAtAll() {
        Backoff backoff = new Backoff(1L << 40, Long.MAX_VALUE);
        long smallest = Long.MAX_VALUE;
        for (int n = 0; n < 40; n++) {
            long delay = backoff.nextDelayMs();
            assertThat(delay).as("retry %d", n).isNotNegative();
            if (n >= 25) {
                smallest = Math.min(smallest, delay);
            }
        }

        assertThat(smallest).as("late retries still back off").isGreaterThan(1L << 30);
    }

    @Test
    void aZeroBaseNeverWaits() {
        Backoff backoff = new Backoff(0, 1_000);

        assertThat(backoff.nextDelayMs()).isZero();
        assertThat(backoff.nextDelayMs()).isZero();
    }
}
