package io.tidegate.forward.iotcore;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** IoT Core's per-connection limits, on a clock the test moves. */
class PublishLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void neverMoreThanTheLimitInAnyOneSecond() {
        PublishLimiter limiter = new PublishLimiter(100, 512 * 1024, 0);
        long now = 0;
        int sentInFirstSecond = 0;
        int sentInSecondSecond = 0;
        // A sender that goes whenever it may, looking every millisecond for two seconds.
        for (; now < 2 * SECOND; now += TimeUnit.MILLISECONDS.toNanos(1)) {
            while (limiter.delayNanos(200, now) == 0) {
                limiter.take(200, now);
                if (now < SECOND) {
                    sentInFirstSecond++;
                } else {
                    sentInSecondSecond++;
                }
            }
        }
        assertThat(sentInFirstSecond).as("a full bucket at start, then the refill").isBetween(100, 200);
        assertThat(sentInSecondSecond).isEqualTo(100);
    }

    @Test
    void theByteBudgetHoldsLargePayloadsBack() {
        PublishLimiter limiter = new PublishLimiter(100, 512 * 1024, 0);
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.delayNanos(128 * 1024, 0)).isZero();
            limiter.take(128 * 1024, 0);
        }
        long delay = limiter.delayNanos(128 * 1024, 0);
        assertThat(delay).as("a fifth 128 KiB message waits a quarter second").isBetween(SECOND / 4 - 1000, SECOND / 4 + 1000);
        assertThat(limiter.delayNanos(128 * 1024, delay)).isZero();
    }

    @Test
    void aPayloadLargerThanOneSecondsBudgetGoesOnAFullBucketAndIsPaidForAfter() {
        PublishLimiter limiter = new PublishLimiter(100, 1024, 0);
        assertThat(limiter.delayNanos(4096, 0)).isZero();
        limiter.take(4096, 0);
        assertThat(limiter.delayNanos(1, SECOND)).as("3 KiB still owed after a second").isPositive();
        assertThat(limiter.delayNanos(1024, 4 * SECOND)).isZero();
    }
}
