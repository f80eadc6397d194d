package io.tidegate.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
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
import io.tidegate.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
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

    private final Disruptor<IngestEvent> disruptor;
    private final RingBuffer<IngestEvent> ring;
    private final PipelineMetrics metrics;
    private volatile boolean started;

    public IngestRing(PipelineConfig config, List<Outbox> outboxes, Router router, StoredMessageListener listener,
                      MeterRegistry registry) {
        this.metrics = new PipelineMetrics(registry);
        int destinations = outboxes.size();
        this.disruptor = new Disruptor<>(() -> new IngestEvent(destinations), config.ringSize(),
                stageThreads(), ProducerType.MULTI, waitStrategy(config.waitStrategy()));
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        disruptor.handleEventsWith(new RouteStage(router))
                .then(new PersistStage(outboxes, metrics))
                .then(new AckStage(listener, metrics));
        this.ring = disruptor.getRingBuffer();
        Gauge.builder("tidegate.ring.free.slots", ring, RingBuffer::remainingCapacity)
                .description("Free slots in the ingest ring").register(registry);
        Gauge.builder("tidegate.ring.size", ring, RingBuffer::getBufferSize)
                .description("Slots in the ingest ring").register(registry);
    }

    public void start() {
        disruptor.start();
        started = true;
    }

    /**
     * Claims a slot and fills it with {@code writer}; returns false, without blocking, when the ring
     * is full (or not running).
     */
    public <A, B> boolean tryPublish(IngestEventWriter<A, B> writer, A a, B b) {
        if (!started) {
            return false;
        }
        boolean published = ring.tryPublishEvent(TRANSLATOR, writer, a, b);
        if (!published) {
            metrics.ringFull();
        }
        return published;
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
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void translate(IngestEvent event, long sequence, IngestEventWriter writer, Object a, Object b) {
        writer.write(event, a, b);
    }

    private static WaitStrategy waitStrategy(PipelineConfig.WaitStrategy strategy) {
        return switch (strategy) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
        };
    }

    private static ThreadFactory stageThreads() {
        String[] names = {"tidegate-route", "tidegate-persist", "tidegate-ack"};
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            int i = next.getAndIncrement();
            Thread thread = new Thread(runnable, i < names.length ? names[i] : "tidegate-stage-" + i);
            thread.setDaemon(true);
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
