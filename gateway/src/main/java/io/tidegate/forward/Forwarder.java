package io.tidegate.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.config.BatchConfig;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves one destination's outbox to the destination: reads a batch (full by count or bytes, or
 * when {@code lingerMs} passed since its first entry), writes it, retries failures with capped
 * exponential backoff and jitter for as long as it takes, and commits the outbox position only
 * after the destination accepted the batch. One thread per destination.
 */
public final class Forwarder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    /** The name under which the forwarder's committed position is stored in its outbox. */
    public static final String READER_NAME = "forwarder";
    private static final long IDLE_PARK_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long IDLE_PARK_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String name;
    private final Outbox outbox;
    private final Destination destination;
    private final BatchConfig batchConfig;
    private final ForwarderMetrics metrics;
    private final Backoff backoff;
    private final List<OutboxEntry> batch = new ArrayList<>();
    private final Thread thread;

    private volatile boolean stopping;
    private volatile long stopDeadlineNanos;
    private volatile ForwarderStatus status;

    /** Chronicle tailers are thread-confined: the reader is opened on the forwarder's own thread. */
    private OutboxReader reader;

    public Forwarder(String name, Outbox outbox, Destination destination, BatchConfig batchConfig,
                     MeterRegistry registry) {
        this(name, outbox, destination, batchConfig, registry, new Backoff(100, 30_000));
    }

    /** With the retry backoff given: tests retry in milliseconds. */
    Forwarder(String name, Outbox outbox, Destination destination, BatchConfig batchConfig, MeterRegistry registry,
              Backoff backoff) {
        this.name = name;
        this.backoff = backoff;
        this.outbox = outbox;
        this.destination = destination;
        this.batchConfig = batchConfig;
        this.metrics = new ForwarderMetrics(registry, name);
        this.status = ForwarderStatus.healthy(name, destination.describe());
        this.thread = new Thread(this::run, "tidegate-forward-" + name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public String name() {
        return name;
    }

    public ForwarderStatus status() {
        return status;
    }

    /**
     * Asks the forwarder to deliver what is in its outbox now and stop, waiting at most
     * {@code timeout}. What it could not deliver stays in the outbox for the next start.
     */
    public void stop(Duration timeout) {
        stopDeadlineNanos = System.nanoTime() + timeout.toNanos();
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            log.warn("forwarder {} did not stop in time; undelivered entries stay in its outbox", name);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private void run() {
        long idleParkNanos = IDLE_PARK_MIN_NANOS;
        try {
            reader = outbox.openReader(READER_NAME);
            while (!Thread.currentThread().isInterrupted()) {
                if (stopping && System.nanoTime() - stopDeadlineNanos >= 0) {
                    log.info("forwarder {}: stop timeout reached; undelivered entries stay in its outbox", name);
                    break;
                }
                fillBatch();
                if (batch.isEmpty()) {
                    if (stopping) {
                        break;
                    }
                    LockSupport.parkNanos(idleParkNanos);
                    idleParkNanos = Math.min(IDLE_PARK_MAX_NANOS, idleParkNanos * 2);
                    continue;
                }
                idleParkNanos = IDLE_PARK_MIN_NANOS;
                if (!deliver()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.error("forwarder {} stopped on an unexpected error; its outbox keeps the data", name, e);
            status = status.failed(e.toString());
        } finally {
            try {
                destination.close();
            } catch (Exception e) {
                log.warn("forwarder {}: closing the destination failed", name, e);
            }
            if (reader != null) {
                reader.close();
            }
        }
    }

    /**
     * Adds entries to the batch until it is full, the linger time ran out, or the outbox is empty.
     * An entry that would take the batch past {@code maxBytes} is left for the next batch; one
     * larger than {@code maxBytes} on its own goes alone.
     */
    private void fillBatch() {
        long bytes = 0;
        long firstReadNanos = 0;
        while (batch.size() < batchConfig.maxRecords() && bytes < batchConfig.maxBytes()) {
            OutboxEntry entry = reader.next();
            if (entry != null) {
                if (!batch.isEmpty() && bytes + entry.payload().length > batchConfig.maxBytes()) {
                    reader.putBack(entry);
                    return;
                }
                if (batch.isEmpty()) {
                    firstReadNanos = System.nanoTime();
                }
                batch.add(entry);
                bytes += entry.payload().length;
                continue;
            }
            if (batch.isEmpty() || stopping) {
                return;
            }
            long lingerLeft = TimeUnit.MILLISECONDS.toNanos(batchConfig.lingerMs()) - (System.nanoTime() - firstReadNanos);
            if (lingerLeft <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(lingerLeft, IDLE_PARK_MAX_NANOS));
        }
    }

    /** Writes the batch until the destination accepts it; false when stopping ran out of time. */
    private boolean deliver() {
        while (true) {
            try {
                destination.write(batch);
                accepted();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                metrics.failed();
                long delayMs = backoff.nextDelayMs();
                status = status.degraded(e.toString());
                log.warn("forwarder {}: writing {} entries failed (attempt {}), retrying in {} ms: {}", name,
                        batch.size(), backoff.attempts(), delayMs, e.toString());
                if (stopping && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) > stopDeadlineNanos) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
        }
    }

    private void accepted() {
        OutboxEntry last = batch.get(batch.size() - 1);
        long encoded = 0;
        long payloadBytes = 0;
        for (OutboxEntry entry : batch) {
            encoded += entry.encodedBytes();
            payloadBytes += entry.payload().length;
        }
        reader.commit(last.index(), batch.size(), encoded);
        metrics.accepted(batch.size(), payloadBytes, batch.get(0).ingestTimeMillis(), System.currentTimeMillis());
        if (backoff.attempts() > 0) {
            log.info("forwarder {}: destination accepts writes again", name);
            backoff.reset();
        }
        status = status.delivered(batch.size());
        batch.clear();
    }
}
