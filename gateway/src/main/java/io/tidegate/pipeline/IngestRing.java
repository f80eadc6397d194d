package io.tidegate.pipeline;

import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.config.PipelineConfig;
import io.tidegate.config.OutboxConfig;
import io.tidegate.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingest ring: a multi-producer Disruptor whose three stages route, persist and acknowledge
 * each PUBLISH. Producers (event loops) never block: {@link #tryPublish} fails on a full ring and
 * the caller pauses its socket.
 */
public final class IngestRing implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestRing.class);

    @SuppressWarnings("rawtypes")
    private static final EventTranslatorThreeArg<IngestEvent, IngestEventWriter, Object, Object> TRANSLATOR =
            IngestRing::translate;

    private final List<Thread> stageThreads = new CopyOnWriteArrayList<>();
    /**
     * Counted down when the stages started. The Disruptor starts its thread asynchronously and a
     * shutdown only waits for consumers that already run, so {@link #start()} waits for it.
     */
    private final CountDownLatch stagesStarted = new CountDownLatch(1);
    private final Disruptor<IngestEvent> disruptor;
    private final RingBuffer<IngestEvent> ring;
    private final PipelineMetrics metrics;
    private final BooleanSupplier admission;
    private volatile boolean started;

    public IngestRing(PipelineConfig config, List<Outbox> outboxes, Router router, StoredMessageListener listener,
                      MeterRegistry registry) {
        this(config, new OutboxConfig(null), outboxes, router, listener, registry, () -> true);
    }

    /**
     * @param admission asked before each publish: false holds new messages back (an outbox with
     *                  overflow {@code backpressure} is full), as if the ring were full
     */
    public IngestRing(PipelineConfig config, OutboxConfig outboxConfig, List<Outbox> outboxes, Router router,
                      StoredMessageListener listener, MeterRegistry registry, BooleanSupplier admission) {
        this.metrics = new PipelineMetrics(registry);
        this.admission = admission;
        int maxDeliveries = router.maxDeliveries();
        this.disruptor = new Disruptor<>(() -> new IngestEvent(maxDeliveries), config.ringSize(),
                stageThreadFactory(), ProducerType.MULTI, waitStrategy(config.waitStrategy(), outboxConfig));
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        disruptor.handleEventsWith(new StageSequence(new RouteStage(router),
                new PersistStage(outboxes, metrics, outboxConfig), new AckStage(listener, metrics), stagesStarted));
        this.ring = disruptor.getRingBuffer();
        Gauge.builder("tidegate.ring.free.slots", ring, RingBuffer::remainingCapacity)
                .description("Free slots in the ingest ring").register(registry);
        Gauge.builder("tidegate.ring.size", ring, RingBuffer::getBufferSize)
                .description("Slots in the ingest ring").register(registry);
    }

    public void start() {
        disruptor.start();
        try {
            if (!stagesStarted.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the pipeline did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the pipeline", e);
        }
        started = true;
    }

    /**
     * Claims a slot and fills it with {@code writer}; returns false, without blocking, when the ring
     * is full (or not running). An exception from {@code writer} is rethrown; its slot is refused.
     */
    public <A, B> boolean tryPublish(IngestEventWriter<A, B> writer, A a, B b) {
        if (!started) {
            return false;
        }
        if (!admission.getAsBoolean()) {
            metrics.heldBack();
            return false;
        }
        boolean published = ring.tryPublishEvent(TRANSLATOR, writer, a, b);
        if (!published) {
            metrics.ringFull();
        }
        return published;
    }

    /**
     * For a QoS 0 publish, which nobody resends: false (counted) when an outbox with overflow
     * {@code backpressure} is full, so the message is dropped instead of holding the device's socket.
     */
    public boolean admitsQos0() {
        if (admission.getAsBoolean()) {
            return true;
        }
        metrics.refusedQos0();
        return false;
    }

    public long freeSlots() {
        return ring.remainingCapacity();
    }

    public boolean isRunning() {
        return started;
    }

    /**
     * Stops taking new events and waits up to {@code timeout} for everything published to pass all
     * stages (stored and acknowledged).
     */
    public void shutdown(Duration timeout) {
        if (!started) {
            return;
        }
        started = false;
        try {
            disruptor.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("ring did not drain within {}; halting with {} events unprocessed", timeout,
                    ring.getBufferSize() - ring.remainingCapacity());
            disruptor.halt();
        }
        awaitStageThreads(timeout);
    }

    /**
     * Halting only asks the stages to stop; their threads close the outbox appenders on the way out
     * ({@code onShutdown}), which must finish before anyone closes the outboxes.
     */
    private void awaitStageThreads(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : stageThreads) {
            long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                thread.join(leftMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                log.warn("pipeline stage {} did not stop within {}", thread.getName(), timeout);
            }
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    /**
     * Fills a claimed slot. The Disruptor publishes the slot even when the writer throws, so a
     * half-written one is marked failed (refused, never stored) before the exception goes on to
     * the producer.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void translate(IngestEvent event, long sequence, IngestEventWriter writer, Object a, Object b) {
        try {
            writer.write(event, a, b);
        } catch (RuntimeException e) {
            event.failure = "copying the message into the ring failed: " + e;
            throw e;
        }
    }

    private static WaitStrategy waitStrategy(PipelineConfig.WaitStrategy strategy, OutboxConfig outbox) {
        return switch (strategy) {
            // Lite: producers skip the lock and signal when the consumer is not waiting. With an
            // interval sync policy the wait times out, so an idle ring still syncs what it holds.
            case BLOCKING -> outbox.sync() == OutboxConfig.SyncPolicy.INTERVAL
                    ? new LiteTimeoutBlockingWaitStrategy(outbox.syncIntervalMs(), TimeUnit.MILLISECONDS)
                    : new LiteBlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
        };
    }

    private ThreadFactory stageThreadFactory() {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            int i = next.getAndIncrement();
            Thread thread = new Thread(runnable, i == 0 ? "tidegate-ingest" : "tidegate-ingest-" + i);
            thread.setDaemon(true);
            stageThreads.add(thread);
            return thread;
        };
    }

    /** Logs and carries on: one bad event must not stop the ring. */
    private static final class LoggingExceptionHandler implements ExceptionHandler<IngestEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, IngestEvent event) {
            log.error("pipeline stage failed on event {} (topic {}, client {})", sequence, event.topic,
                    event.clientId, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            log.error("pipeline stage failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            log.error("pipeline stage failed to shut down", ex);
        }
    }
}
