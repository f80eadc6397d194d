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
 * Moves one destination's outbox to the destination: reads a batch (full by count or bytes, within
 * the destination's own {@link DestinationLimits}, or when {@code lingerMs} passed since its first
 * entry), writes it, and sends again exactly the entries the destination reports retriable (in
 * their order) with capped exponential backoff and full jitter, for as long as it takes. Entries
 * the destination rejects for good, or that can never fit its limits, go to its {@link DeadLetters}
 * outbox. The outbox position is committed only when every entry of the batch was accepted or
 * dead-lettered. One thread per destination and one write in flight at a time, so order is kept.
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
    private final DeadLetters deadLetters;
    private final int maxRecords;
    private final long maxBatchBytes;
    private final long maxRecordBytes;
    private final long lingerMs;
    private final ForwarderMetrics metrics;
    private final Backoff backoff;
    /** Every entry read for the current batch, in outbox order: the commit covers all of them. */
    private final List<OutboxEntry> batch = new ArrayList<>();
    /** The entries of {@link #batch} to write; the others do not fit the destination at all. */
    private final List<OutboxEntry> toWrite = new ArrayList<>();
    private final Thread thread;

    private volatile boolean stopping;
    private volatile long stopDeadlineNanos;
    private volatile ForwarderStatus status;

    /** Chronicle tailers are thread-confined: the reader is opened on the forwarder's own thread. */
    private OutboxReader reader;

    public Forwarder(String name, Outbox outbox, Destination destination, DeadLetters deadLetters,
                     BatchConfig batchConfig, MeterRegistry registry) {
        this(name, outbox, destination, deadLetters, batchConfig, registry, new Backoff(100, 30_000));
    }

    /** With the retry backoff given: tests retry in milliseconds. */
    Forwarder(String name, Outbox outbox, Destination destination, DeadLetters deadLetters, BatchConfig batchConfig,
              MeterRegistry registry, Backoff backoff) {
        this.name = name;
        this.backoff = backoff;
        this.outbox = outbox;
        this.destination = destination;
        this.deadLetters = deadLetters;
        DestinationLimits limits = destination.limits();
        this.maxRecords = Math.min(batchConfig.maxRecords(), limits.maxRecords());
        this.maxBatchBytes = Math.min(batchConfig.maxBytes(), limits.maxBatchBytes());
        this.maxRecordBytes = Math.min(limits.maxRecordBytes(), limits.maxBatchBytes());
        this.lingerMs = batchConfig.lingerMs();
        this.metrics = new ForwarderMetrics(registry, name, destination.billableUnit());
        destination.bindTo(registry, name);
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
        requestStop(timeout);
        awaitStop(timeout);
    }

    /**
     * Asks the forwarder to deliver what is in its outbox now and stop within {@code timeout},
     * without waiting: the gateway asks all its forwarders first, then waits for them together.
     */
    public void requestStop(Duration timeout) {
        stopDeadlineNanos = System.nanoTime() + timeout.toNanos();
        stopping = true;
        LockSupport.unpark(thread);
    }

    /**
     * Waits for a stop asked by {@link #requestStop}: the timeout plus a second of grace, then
     * interrupts and waits once more, so its queues are not closed under it.
     *
     * @return whether the thread ended
     */
    public boolean awaitStop(Duration timeout) {
        try {
            thread.join(timeout.toMillis() + 1000);
            if (thread.isAlive()) {
                thread.interrupt();
                log.warn("forwarder {} did not stop in time; undelivered entries stay in its outbox", name);
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
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
        } catch (RuntimeException | Error e) {
            // Errors too (an entry that cannot be decoded, memory): the status must say "failed".
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
            deadLetters.close();
        }
    }

    /**
     * Adds entries to the batch until it is full, the linger time ran out, or the outbox is empty.
     * An entry that would take the batch past its byte limit is left for the next batch; one larger
     * than the configured {@code maxBytes} on its own goes alone; one larger than the destination
     * allows at all is taken along only to be dead-lettered.
     */
    private void fillBatch() {
        long bytes = 0;
        long firstReadNanos = 0;
        // batch.size(), not toWrite.size(): entries too large to send count too, so a backlog of them
        // is never read into memory at once.
        while (batch.size() < maxRecords && bytes < maxBatchBytes) {
            OutboxEntry entry = reader.next();
            if (entry != null) {
                long size = destination.sizeOf(entry);
                if (size <= maxRecordBytes && !toWrite.isEmpty() && bytes + size > maxBatchBytes) {
                    reader.putBack(entry);
                    return;
                }
                if (batch.isEmpty()) {
                    firstReadNanos = System.nanoTime();
                }
                batch.add(entry);
                bytes += Math.min(size, maxBatchBytes);
                if (size <= maxRecordBytes) {
                    toWrite.add(entry);
                }
                continue;
            }
            if (batch.isEmpty() || stopping) {
                return;
            }
            long lingerLeft = TimeUnit.MILLISECONDS.toNanos(lingerMs) - (System.nanoTime() - firstReadNanos);
            if (lingerLeft <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(lingerLeft, IDLE_PARK_MAX_NANOS));
        }
    }

    /**
     * Writes the batch until every entry is accepted or dead-lettered, then commits; false when
     * stopping ran out of time (nothing of the batch is committed then: it is offered again at the
     * next start, so delivery is at-least-once).
     */
    private boolean deliver() {
        deadLetterOversized();
        List<OutboxEntry> sending = new ArrayList<>(toWrite);
        int accepted = 0;
        long acceptedBytes = 0;
        while (!sending.isEmpty()) {
            WriteResult result;
            metrics.writing(sending.size());
            try {
                result = destination.write(sending);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                metrics.failed();
                if (!backOff(e.toString(), sending.size())) {
                    return false;
                }
                metrics.retried(sending.size(), 0);
                continue;
            } finally {
                metrics.written();
            }
            if (result.size() != sending.size()) {
                throw new IllegalStateException("destination " + name + " reported " + result.size()
                        + " outcomes for " + sending.size() + " entries");
            }
            metrics.billed(result.billableUnits());
            List<OutboxEntry> again = new ArrayList<>();
            int failed = 0;
            int throttled = 0;
            String firstReason = null;
            for (int i = 0; i < sending.size(); i++) {
                OutboxEntry entry = sending.get(i);
                switch (result.outcome(i)) {
                    case ACCEPTED -> {
                        accepted++;
                        acceptedBytes += entry.payload().length;
                    }
                    case REJECTED -> deadLetter(entry, result.reason(i));
                    case DEFERRED -> again.add(entry);
                    case RETRIABLE, THROTTLED -> {
                        again.add(entry);
                        failed++;
                        throttled += result.outcome(i) == WriteResult.Outcome.THROTTLED ? 1 : 0;
                        firstReason = firstReason == null ? result.reason(i) : firstReason;
                    }
                }
            }
            if (failed > 0) {
                // Deferred entries wait with the failed ones: they follow them in the device's order.
                if (!backOff(failed + " of " + sending.size() + " entries not accepted: " + firstReason,
                        failed)) {
                    return false;
                }
                metrics.retried(failed, throttled);
            }
            sending = again;
        }
        complete(accepted, acceptedBytes);
        return true;
    }

    private void deadLetterOversized() {
        if (toWrite.size() == batch.size()) {
            return;
        }
        for (OutboxEntry entry : batch) {
            long size = destination.sizeOf(entry);
            if (size > maxRecordBytes) {
                deadLetter(entry, "entry of " + size + " bytes exceeds the destination's limit of "
                        + maxRecordBytes + " bytes");
            }
        }
    }

    private void deadLetter(OutboxEntry entry, String reason) {
        deadLetters.add(entry, reason);
        metrics.rejected();
        log.warn("forwarder {}: message {} from {} dead-lettered: {}", name, entry.messageId(), entry.clientId(),
                reason);
    }

    /** Marks the destination degraded and waits before the next attempt; false when stopping ran out of time. */
    private boolean backOff(String error, int entries) {
        long delayMs = backoff.nextDelayMs();
        status = status.degraded(error);
        log.warn("forwarder {}: writing {} entries failed (attempt {}), retrying in {} ms: {}", name, entries,
                backoff.attempts(), delayMs, error);
        if (stopping && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) > stopDeadlineNanos) {
            return false;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
        return !Thread.currentThread().isInterrupted();
    }

    private void complete(int accepted, long acceptedBytes) {
        OutboxEntry last = batch.get(batch.size() - 1);
        long encoded = 0;
        for (OutboxEntry entry : batch) {
            encoded += entry.encodedBytes();
        }
        reader.commit(last.index(), batch.size(), encoded);
        metrics.completed(accepted, acceptedBytes, batch.get(0).ingestTimeMillis(), System.currentTimeMillis());
        if (backoff.attempts() > 0) {
            log.info("forwarder {}: destination accepts writes again", name);
            backoff.reset();
        }
        status = status.delivered(accepted);
        batch.clear();
        toWrite.clear();
    }
}
