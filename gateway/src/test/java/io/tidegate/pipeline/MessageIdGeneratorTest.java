package io.tidegate.pipeline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdGeneratorTest {

    private static final long T0 = 1_717_000_000_000L;

    private final MessageIdGenerator generator = new MessageIdGenerator(0x2ABC_DEF1L);
    private final IngestEvent event = new IngestEvent(1);

    @Test
    void idsAreUniqueAndIncreaseWithinAndAcrossMilliseconds() {
        List<UUID> ids = new ArrayList<>();
        for (long millis = T0; millis < T0 + 5; millis++) {
            for (int i = 0; i < 10_000; i++) {
                ids.add(next(millis));
            }
        }

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        for (int i = 1; i < ids.size(); i++) {
            assertThat(compareUnsigned(ids.get(i - 1), ids.get(i))).as("id %d < id %d", i - 1, i).isNegative();
        }
    }

    @Test
    void versionSevenVariantTwoAndTheMillisInTheTopBits() {
        for (long millis : new long[] {T0, T0 + 1, T0 + 999, 0xFFFF_FFFF_FFFFL}) {
            UUID id = next(millis);

            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
        }
    }

    @Test
    void theCounterStartsAgainInEachMillisecond() {
        next(T0);
        next(T0);
        UUID third = next(T0);
        UUID nextMillis = next(T0 + 1);

        assertThat(third.getLeastSignificantBits() & 0xFFFF_FFFFL).isEqualTo(2);
        assertThat(nextMillis.getLeastSignificantBits() & 0xFFFF_FFFFL).isZero();
        assertThat(nextMillis.getMostSignificantBits() & 0x0FFF).isZero();
    }

    @Test
    void theNodeBitsAreTheSameInEveryId() {
        UUID a = next(T0);
        UUID b = next(T0 + 10);

        assertThat((a.getLeastSignificantBits() >>> 32) & 0x3FFF_FFFFL).isEqualTo(0x2ABC_DEF1L);
        assertThat((b.getLeastSignificantBits() >>> 32) & 0x3FFF_FFFFL).isEqualTo(0x2ABC_DEF1L);
    }

    @Test
    void idsKeepIncreasingWhenTheClockGoesBack() {
        UUID before = next(T0 + 100);
        UUID after = next(T0); // an event loop's clock read earlier than the previous event's

        assertThat(compareUnsigned(before, after)).isNegative();
        assertThat(after.getMostSignificantBits() >>> 16).isEqualTo(T0 + 100);
    }

    @Test
    void twoGeneratorsDifferByTheirRandomPart() {
        Set<Long> nodes = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            MessageIdGenerator random = new MessageIdGenerator();
            random.next(event, T0);
            nodes.add((event.idLsb >>> 32) & 0x3FFF_FFFFL);
        }

        assertThat(nodes).hasSizeGreaterThan(1);
    }

    private UUID next(long millis) {
        generator.next(event, millis);
        return new UUID(event.idMsb, event.idLsb);
    }

    private static int compareUnsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
