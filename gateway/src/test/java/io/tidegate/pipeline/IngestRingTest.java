package io.tidegate.pipeline;

import io.tidegate.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.config.OutboxConfig;
import io.tidegate.config.PipelineConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class IngestRingTest {

    /** Copies a topic and payload into a slot, like the MQTT layer's writers (non-capturing). */
    private static final IngestEventWriter<String, byte[]> WRITER = (event, topic, payload) -> {
        event.set(null, 7, 1, false, "client-1", topic, MessageProperties.NONE, System.currentTimeMillis(),
                System.nanoTime());
        System.arraycopy(payload, 0, event.payloadBuffer(payload.length), 0, payload.length);
    };

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Outbox first;
    private Outbox second;
    private IngestRing ring;

    @BeforeEach
    void openOutboxes() {
        first = Outbox.open("first", dir.resolve("first"), OutboxConfig.RollCycle.DAILY);
        second = Outbox.open("second", dir.resolve("second"), OutboxConfig.RollCycle.DAILY);
    }

    @AfterEach
    void stop() {
        if (ring != null) {
            ring.shutdown(Duration.ofSeconds(5));
        }
        first.close();
        second.close();
    }

    @Test
    void messagesPassRoutePersistAndAckInOrder() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(512, Router.always(0), listener);

        for (int i = 0; i < 300; i++) {
            assertThat(publish("t/" + i)).isTrue();
        }
        Await.until("300 messages acknowledged", () -> listener.stored.size() == 300);

        assertThat(listener.stored).extracting(Stored::topic).containsExactlyElementsOf(topics(300));
        assertThat(listener.stored).allSatisfy(s -> {
            assertThat(s.stored()).as("stored %s", s.topic()).isTrue();
            assertThat(s.failure()).isNull();
            assertThat(s.readableInOutbox()).as("readable before the ack of %s", s.topic()).isTrue();
            assertThat(s.payload()).isEqualTo("payload of " + s.topic());
        });
        Await.until("the last batch ended", () -> listener.calls.get(listener.calls.size() - 1).equals("end"));
        List<OutboxEntry> entries = readAll(first);
        assertThat(entries).extracting(OutboxEntry::topic).containsExactlyElementsOf(topics(300));
        assertThat(entries).extracting(OutboxEntry::messageId)
                .containsExactlyElementsOf(listener.stored.stream().map(Stored::id).toList());
        assertThat(entries).extracting(OutboxEntry::messageId).doesNotHaveDuplicates();
        assertThat(entries.get(0).clientId()).isEqualTo("client-1");
        assertThat(registry.get("tidegate.outbox.appended").counter().count()).isEqualTo(300);
    }

    @Test
    void aMessageRoutedToTwoDestinationsIsInBothWithOneId() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(64, new Router() {
            @Override
            public void route(IngestEvent event) {
                event.deliverUnchanged(0);
                event.deliverUnchanged(1);
            }

            @Override
            public int maxDeliveries() {
                return 2;
            }
        }, listener);

        publish("both");
        Await.until("acknowledged", () -> listener.stored.size() == 1);

        assertThat(readAll(first)).singleElement().satisfies(e -> assertThat(e.messageId())
                .isEqualTo(listener.stored.get(0).id()));
        assertThat(readAll(second)).singleElement().satisfies(e -> assertThat(e.messageId())
                .isEqualTo(listener.stored.get(0).id()));
    }

    @Test
    void aMessageRoutedNowhereIsAcknowledgedAndNotStored() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(64, event -> { }, listener);

        publish("dropped");
        Await.until("acknowledged", () -> listener.stored.size() == 1);

        assertThat(listener.stored.get(0).stored()).isTrue();
        assertThat(readAll(first)).isEmpty();
    }

    @Test
    void aMessageFromTheCloudSkipsTheRulesAndOutboxesAndIsAcknowledgedAfterTheAckStage() {
        RecordingListener listener = new RecordingListener(first) {
            @Override
            public void onStored(IngestEvent event) {
                super.onStored(event);
                event.origin().onStored(event);
            }
        };
        ring = start(64, Router.always(0), listener);
        List<String> acknowledged = new CopyOnWriteArrayList<>();

        boolean taken = new RingDownstreamSink(ring).offer("gw-0", "cmd/truck-1/reboot",
                "now".getBytes(StandardCharsets.UTF_8), 1, () -> acknowledged.add("cmd/truck-1/reboot"));
        assertThat(taken).isTrue();
        Await.until("acknowledged upstream", () -> acknowledged.size() == 1);

        assertThat(listener.stored).singleElement().satisfies(s -> {
            assertThat(s.topic()).isEqualTo("cmd/truck-1/reboot");
            assertThat(s.payload()).isEqualTo("now");
            assertThat(s.stored()).isTrue();
        });
        assertThat(readAll(first)).as("never routed to a destination").isEmpty();
    }

    @Test
    void aClosedAdmissionHoldsPublishesBackAndCountsThem() {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(false);
        RecordingListener listener = new RecordingListener(first);
        ring = new IngestRing(new PipelineConfig(64, PipelineConfig.WaitStrategy.BLOCKING), new OutboxConfig(null),
                List.of(first, second), Router.always(0), listener, registry, open::get);
        ring.start();

        assertThat(publish("held")).isFalse();
        assertThat(registry.get("tidegate.ingest.backpressure").counter().count()).isEqualTo(1);
        open.set(true);
        assertThat(publish("taken")).isTrue();
        Await.until("stored", () -> listener.stored.size() == 1);
        assertThat(listener.stored.get(0).topic()).isEqualTo("taken");
    }

    @Test
    void theBatchSyncPolicySyncsBeforeTheBatchIsAcknowledgedAndNoneNeverSyncs() {
        RecordingListener listener = new RecordingListener(first);
        ring = new IngestRing(new PipelineConfig(64, PipelineConfig.WaitStrategy.BLOCKING),
                new OutboxConfig(null, OutboxConfig.SyncPolicy.BATCH, null, null), List.of(first, second),
                Router.always(0), listener, registry, () -> true);
        ring.start();

        for (int i = 0; i < 20; i++) {
            publish("t/" + i);
        }
        Await.until("stored", () -> listener.stored.size() == 20);
        long syncs = registry.get("tidegate.outbox.sync").timer().count();
        assertThat(syncs).isBetween(1L, 20L);
        Await.until("batch ended", () -> listener.calls.get(listener.calls.size() - 1).equals("end"));
        ring.shutdown(Duration.ofSeconds(5));

        SimpleMeterRegistry none = new SimpleMeterRegistry();
        ring = new IngestRing(new PipelineConfig(64, PipelineConfig.WaitStrategy.BLOCKING), new OutboxConfig(null),
                List.of(first, second), Router.always(0), new RecordingListener(first), none, () -> true);
        ring.start();
        publish("unsynced");
        Await.until("stored", () -> none.get("tidegate.outbox.appended").counter().count() == 1);
        assertThat(none.get("tidegate.outbox.sync").timer().count()).isZero();
    }

    @Test
    void theIntervalSyncPolicySyncsAnIdleRing() {
        RecordingListener listener = new RecordingListener(first);
        ring = new IngestRing(new PipelineConfig(64, PipelineConfig.WaitStrategy.BLOCKING),
                new OutboxConfig(null, OutboxConfig.SyncPolicy.INTERVAL, 50, null), List.of(first, second),
                Router.always(0), listener, registry, () -> true);
        ring.start();

        publish("one");
        Await.until("synced although nothing follows", () -> registry.get("tidegate.outbox.sync").timer().count() >= 1);
    }

    @Test
    void aFullRingRefusesWithoutBlocking() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener listener = new RecordingListener(first) {
            @Override
            public void onStored(IngestEvent event) {
                await(release);
                super.onStored(event);
            }
        };
        ring = start(64, Router.always(0), listener);

        for (int i = 0; i < 64; i++) {
            assertThat(publish("t/" + i)).as("publish %d", i).isTrue();
        }
        boolean accepted = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> publish("one too many"));

        assertThat(accepted).isFalse();
        assertThat(ring.freeSlots()).isZero();
        assertThat(registry.get("tidegate.ring.full").counter().count()).isEqualTo(1);

        release.countDown();
        // The listener sees the 64th event before the consumer releases its slot: wait for the slots.
        Await.until("the ring drained", () -> listener.stored.size() == 64 && ring.freeSlots() == 64);
        assertThat(publish("after")).isTrue();
        Await.until("acknowledged", () -> listener.stored.size() == 65);
        assertThat(listener.stored).extracting(Stored::topic).endsWith("t/63", "after");
    }

    @Test
    void shutdownDrainsEverythingPublished() {
        RecordingListener listener = new RecordingListener(null);
        ring = start(1024, Router.always(0), listener);
        for (int i = 0; i < 1000; i++) {
            assertThat(publish("t/" + i)).isTrue();
        }

        ring.shutdown(Duration.ofSeconds(10));

        assertThat(listener.stored).hasSize(1000);
        assertThat(listener.stored).allMatch(Stored::stored);
        assertThat(readAll(first)).hasSize(1000);
        assertThat(ring.isRunning()).isFalse();
        assertThat(publish("late")).isFalse();
    }

    @Test
    void nothingIsTakenBeforeStart() {
        ring = new IngestRing(new PipelineConfig(64, PipelineConfig.WaitStrategy.BLOCKING), List.of(first),
                Router.always(0), new RecordingListener(first), registry);

        assertThat(publish("early")).isFalse();
        assertThat(ring.isRunning()).isFalse();
    }

    @Test
    void anInvalidDestinationFailsThatMessageOnly() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(64, event -> event.deliverUnchanged(event.topic().equals("bad") ? 5 : 0), listener);

        publish("good/1");
        publish("bad");
        publish("good/2");
        Await.until("3 acknowledged", () -> listener.stored.size() == 3);

        assertThat(listener.stored).extracting(Stored::topic, Stored::stored)
                .containsExactly(tuple("good/1", true), tuple("bad", false), tuple("good/2", true));
        assertThat(listener.stored.get(1).failure()).isNotBlank();
        assertThat(readAll(first)).extracting(OutboxEntry::topic).containsExactly("good/1", "good/2");
        assertThat(registry.get("tidegate.outbox.append.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void aRouterThatThrowsFailsThatMessageInsteadOfAcknowledgingIt() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(64, event -> {
            if (event.topic().equals("boom")) {
                throw new IllegalStateException("rule evaluation failed");
            }
            event.deliverUnchanged(0);
        }, listener);

        publish("good/1");
        publish("boom");
        publish("good/2");
        Await.until("3 acknowledged", () -> listener.stored.size() == 3);

        assertThat(listener.stored).extracting(Stored::topic, Stored::stored)
                .containsExactly(tuple("good/1", true), tuple("boom", false), tuple("good/2", true));
        assertThat(listener.stored.get(1).failure()).contains("rule evaluation failed");
        assertThat(readAll(first)).extracting(OutboxEntry::topic).containsExactly("good/1", "good/2");
    }

    @Test
    void anOutboxClosedUnderneathFailsItsMessagesAndTheRingGoesOn() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(64, event -> event.deliverUnchanged(event.topic().startsWith("second/") ? 1 : 0), listener);
        publish("second/before");
        Await.until("acknowledged", () -> listener.stored.size() == 1);

        second.close();
        publish("second/after");
        publish("first/after");
        Await.until("3 acknowledged", () -> listener.stored.size() == 3);

        assertThat(listener.stored).extracting(Stored::topic, Stored::stored)
                .containsExactly(tuple("second/before", true), tuple("second/after", false),
                        tuple("first/after", true));
        assertThat(listener.stored.get(1).failure()).isNotBlank();
        assertThat(readAll(first)).extracting(OutboxEntry::topic).containsExactly("first/after");
    }

    @Test
    void aWriterThatThrowsHalfWayGetsItsSlotRefusedNotStored() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(64, Router.always(0), listener);
        publish("good/1");
        Await.until("acknowledged", () -> listener.stored.size() == 1);
        IngestEventWriter<String, byte[]> failing = (event, topic, payload) -> {
            event.set(null, 8, 1, false, "client-1", topic, MessageProperties.NONE, 0, System.nanoTime());
            throw new IllegalStateException("buffer already released");
        };

        assertThatThrownBy(() -> ring.tryPublish(failing, "half-written", new byte[0]))
                .hasMessageContaining("buffer already released");
        publish("good/2");
        Await.until("3 acknowledged", () -> listener.stored.size() == 3);

        assertThat(listener.stored).extracting(Stored::topic, Stored::stored)
                .containsExactly(tuple("good/1", true), tuple("half-written", false), tuple("good/2", true));
        assertThat(readAll(first)).extracting(OutboxEntry::topic).containsExactly("good/1", "good/2");
    }

    @Test
    void largePayloadsAreNotKeptInTheSlot() {
        RecordingListener listener = new RecordingListener(first);
        ring = start(64, Router.always(0), listener);
        byte[] big = new byte[IngestEvent.RETAINED_PAYLOAD_CAPACITY * 2];
        big[big.length - 1] = 42;

        ring.tryPublish(WRITER, "big", big);
        publish("small");
        Await.until("2 acknowledged", () -> listener.stored.size() == 2);

        List<OutboxEntry> entries = readAll(first);
        assertThat(entries.get(0).payload()).isEqualTo(big);
        assertThat(entries.get(1).payload()).asString(StandardCharsets.UTF_8).isEqualTo("payload of small");
    }

    // ---- helpers ----

    private IngestRing start(int ringSize, Router router, StoredMessageListener listener) {
        IngestRing started = new IngestRing(new PipelineConfig(ringSize, PipelineConfig.WaitStrategy.BLOCKING),
                List.of(first, second), router, listener, registry);
        started.start();
        return started;
    }

    private boolean publish(String topic) {
        return ring.tryPublish(WRITER, topic, ("payload of " + topic).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> topics(int count) {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            topics.add("t/" + i);
        }
        return topics;
    }

    private static List<OutboxEntry> readAll(Outbox outbox) {
        List<OutboxEntry> entries = new ArrayList<>();
        try (OutboxReader reader = outbox.openBrowserAt(Outbox.NO_POSITION)) {
            for (OutboxEntry e = reader.next(); e != null; e = reader.next()) {
                entries.add(e);
            }
        }
        return entries;
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the ack stage showed the listener; copied, because the slot is cleared after. */
    record Stored(String topic, String payload, boolean stored, String failure, UUID id, boolean readableInOutbox) {
    }

    /**
     * Records each stored message and batch end, and checks (on the ack thread) that a stored
     * message can already be read back from {@code outbox} (when one is given).
     */
    static class RecordingListener implements StoredMessageListener {

        final List<Stored> stored = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final Outbox outbox;

        RecordingListener(Outbox outbox) {
            this.outbox = outbox;
        }

        @Override
        public void onStored(IngestEvent event) {
            UUID id = new UUID(event.idMsb, event.idLsb);
            boolean readable = outbox != null && event.stored() && event.deliveryCount > 0 && isInOutbox(id);
            stored.add(new Stored(event.topic(), new String(event.payload(), 0, event.payloadLength(),
                    StandardCharsets.UTF_8), event.stored(), event.failure(), id, readable));
            calls.add(event.topic());
        }

        @Override
        public void endOfBatch() {
            calls.add("end");
        }

        private boolean isInOutbox(UUID id) {
            try (OutboxReader reader = outbox.openBrowserAt(Outbox.NO_POSITION)) {
                for (OutboxEntry e = reader.next(); e != null; e = reader.next()) {
                    if (e.messageId().equals(id)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }
}
