package io.tidegate.outbox;

import io.tidegate.config.DestinationOutboxConfig;
import io.tidegate.config.OutboxConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxBudgetTest {

    @TempDir
    Path dir;

    private Outbox outbox;

    @BeforeEach
    void open() {
        outbox = Outbox.open("dest", dir, OutboxConfig.RollCycle.DAILY);
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    @Test
    void fullOverMaxBytesOrBelowTheDiskFloor() {
        AtomicLong free = new AtomicLong(10_000_000);
        DiskSpace disk = new DiskSpace(free::get, 1_000_000);
        OutboxBudget budget = new OutboxBudget(outbox, new DestinationOutboxConfig(1024L * 1024, null, null), disk);
        assertThat(budget.fullness()).isNull();
        assertThat(budget.appliesBackpressure()).isTrue();

        append(5000, 300);
        assertThat(outbox.stats().backlogBytes()).isGreaterThan(1024 * 1024);
        assertThat(budget.fullness()).isEqualTo(OutboxBudget.DropReason.MAX_BYTES);

        OutboxBudget unlimited = new OutboxBudget(outbox, new DestinationOutboxConfig(0L, null, null),
                new DiskSpace(free::get, 1_000_000));
        assertThat(unlimited.fullness()).isNull();
        free.set(999_999);
        assertThat(new OutboxBudget(outbox, new DestinationOutboxConfig(0L, null, null),
                new DiskSpace(free::get, 1_000_000)).fullness()).isEqualTo(OutboxBudget.DropReason.DISK_FULL);
    }

    @Test
    void theDiskFloorIsReadAtMostEvery100Milliseconds() {
        AtomicLong reads = new AtomicLong();
        DiskSpace disk = new DiskSpace(() -> {
            reads.incrementAndGet();
            return 0;
        }, 1);
        for (int i = 0; i < 1000; i++) {
            assertThat(disk.belowFloor()).isTrue();
        }
        assertThat(reads.get()).isLessThanOrEqualTo(2);
        assertThat(new DiskSpace(() -> 0, 0).belowFloor()).as("no floor").isFalse();
    }

    @Test
    void messageExpiryAndMaxAgeMakeAnEntryStale() {
        OutboxBudget budget = new OutboxBudget(outbox, new DestinationOutboxConfig(null, 60L, null),
                new DiskSpace(() -> Long.MAX_VALUE, 0));
        long ingest = 1_000_000;
        OutboxEntry plain = entry(ingest, MessageProperties.NONE);
        OutboxEntry expiring = entry(ingest, new MessageProperties(false, 10L, null, null, null, List.of()));

        assertThat(budget.staleness(plain, ingest + 59_999)).isNull();
        assertThat(budget.staleness(plain, ingest + 60_000)).isEqualTo(OutboxBudget.DropReason.MAX_AGE);
        assertThat(budget.staleness(expiring, ingest + 9_999)).isNull();
        assertThat(budget.staleness(expiring, ingest + 10_000)).isEqualTo(OutboxBudget.DropReason.EXPIRED);
        OutboxBudget noAgeLimit = new OutboxBudget(outbox, new DestinationOutboxConfig(null, null, null),
                new DiskSpace(() -> Long.MAX_VALUE, 0));
        assertThat(noAgeLimit.staleness(plain, Long.MAX_VALUE / 2)).isNull();
    }

    private void append(int count, int payloadBytes) {
        try (OutboxAppender appender = outbox.newAppender()) {
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[payloadBytes];
                appender.append(i, i, System.currentTimeMillis(), "c", "t", 1, false, MessageProperties.NONE, payload,
                        payload.length);
            }
        }
    }

    private static OutboxEntry entry(long ingest, MessageProperties properties) {
        return new OutboxEntry(0, new UUID(0, 0), ingest, "c", "t", 1, false, properties, new byte[0], 0);
    }
}
