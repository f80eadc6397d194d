package io.tidegate.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.config.BatchConfig;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxBudget;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves one destination's outbox to the destination: reads a batch (full by count or bytes, within
 * the destination's own {@link DestinationLimits}, or when {@code lingerMs} passed since its first
 * entry), writes it, and sends again exactly the entries the destination reports retriable (in
 * their order) with capped exponential backoff and full jitter, for as long as it takes. Entries
 * the destination rejects for good, or that can never fit its limits, go to its {@link DeadLetters}
 * outbox. The outbox position is committed only when every entry of the batch was accepted or
 * dead-lettered. One thread per destination; up to {@code batch.maxInFlight} batches are written at
 * once (asynchronous destinations), and positions are committed in outbox order, only past batches
 * that completed; with one in flight (the default) a device's order is kept.
 *
 * <p>A stop (like Kafka's {@code Sender} closing) goes on delivering until its deadline. Once the
 * deadline has passed, or a batch cannot be finished before it (its retry would fall later), no new
 * batch or write starts; the writes under way ahead of that batch are waited for, up to the
 * deadline; then every batch that completed is committed, in outbox order, and the thread ends.
 * What is not committed stays in the outbox and is sent again at the next start (at-least-once).
 * Whichever way the thread ends (stop, interrupt, unexpected error), the batches that completed
 * are committed first.
 */
public final class Forwarder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    /** The name under which the forwarder's committed position is stored in its outbox. */
    public static final String READER_NAME = "forwarder";
    /** Entries given up per commit when dropping the oldest. */
    private static final int DROP_CHUNK = 1000;
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
    private final int maxInFlight;
    /** The batch being read, in outbox order. */
    private final List<OutboxEntry> batch = new ArrayList<>();
    /** The entries of {@link #batch} to write; the others do not fit the destination at all. */
    private final List<OutboxEntry> toWrite = new ArrayList<>();
    /** The entries of {@link #batch} larger than the destination takes at all: dead-lettered. */
    private final List<OutboxEntry> oversized = new ArrayList<>();
    /** The outbox's limits and overflow policy; null for none. */
    private final OutboxBudget budget;
    /** Batches written and not yet committed, in outbox order. */
    private final ArrayDeque<Batch> window = new ArrayDeque<>();
    private final Thread thread;

    private volatile boolean stopping;
    private volatile long stopDeadlineNanos;
    private volatile ForwarderStatus status;
    /**
     * Stopping, and a batch of the window cannot be finished before the deadline: nothing new is
     * written, and the thread ends once nothing ahead of that batch is still under way.
     */
    private boolean windingDown;
    /** The thread is ending: no write starts any more. */
    private boolean exiting;

    /** Chronicle tailers are thread-confined: the reader is opened on the forwarder's own thread. */
    private OutboxReader reader;
    private long corruptCounted;

    public Forwarder(String name, Outbox outbox, Destination destination, DeadLetters deadLetters,
                     BatchConfig batchConfig, MeterRegistry registry) {
        this(name, outbox, destination, deadLetters, batchConfig, registry, (OutboxBudget) null);
    }

    /**
     * @param budget the outbox's limits: stale entries (MQTT 5 message expiry, {@code maxAgeSeconds})
     *               are dropped, and with {@code drop-oldest} a full outbox drops its oldest entries
     */
    public Forwarder(String name, Outbox outbox, Destination destination, DeadLetters deadLetters,
                     BatchConfig batchConfig, MeterRegistry registry, OutboxBudget budget) {
        this(name, outbox, destination, deadLetters, batchConfig, registry, new Backoff(100, 30_000), budget);
    }

    /** With the retry backoff given: tests retry in milliseconds. */
    Forwarder(String name, Outbox outbox, Destination destination, DeadLetters deadLetters, BatchConfig batchConfig,
              MeterRegistry registry, Backoff backoff) {
        this(name, outbox, destination, deadLetters, batchConfig, registry, backoff, null);
    }

    Forwarder(String name, Outbox outbox, Destination destination, DeadLetters deadLetters, BatchConfig batchConfig,
              MeterRegistry registry, Backoff backoff, OutboxBudget budget) {
        this.name = name;
        this.budget = budget;
        this.backoff = backoff;
        this.outbox = outbox;
        this.destination = destination;
        this.deadLetters = deadLetters;
        DestinationLimits limits = destination.limits();
        this.maxRecords = Math.min(batchConfig.maxRecords(), limits.maxRecords());
        this.maxBatchBytes = Math.min(batchConfig.maxBytes(), limits.maxBatchBytes());
        this.maxRecordBytes = Math.min(limits.maxRecordBytes(), limits.maxBatchBytes());
        this.lingerMs = batchConfig.lingerMs();
        this.maxInFlight = batchConfig.maxInFlight();
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
        String failure = null;
        try {
            reader = outbox.openReader(READER_NAME);
            while (!Thread.currentThread().isInterrupted()) {
                if (pastStopDeadline()) {
                    log.info("forwarder {}: stop timeout reached; what is not committed stays in its outbox", name);
                    break;
                }
                if (budget != null && !budget.appliesBackpressure()) {
                    OutboxBudget.DropReason full = budget.fullness();
                    if (full != null) {
                        dropOldest(full);
                    }
                }
                boolean started = startBatches();
                if (window.isEmpty()) {
                    if (stopping) {
                        break;
                    }
                    LockSupport.parkNanos(idleParkNanos);
                    idleParkNanos = Math.min(IDLE_PARK_MAX_NANOS, idleParkNanos * 2);
                    continue;
                }
                idleParkNanos = IDLE_PARK_MIN_NANOS;
                advance();
                commitCompleted();
                if (windingDown && (window.isEmpty() || window.peekFirst().stranded)) {
                    break; // nothing more can be committed before the deadline
                }
                if (!started && !window.isEmpty() && !anyReady()) {
                    LockSupport.parkNanos(this, Math.max(1, nextWakeNanos() - System.nanoTime()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Errors too (an entry that cannot be decoded, memory): the status must say "failed".
            log.error("forwarder {} stopped on an unexpected error; its outbox keeps the data", name, e);
            failure = e.toString();
        } finally {
            commitOnExit();
            if (failure != null) {
                status = status.failed(failure); // after the commits, which report it healthy
            }
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
     * The last thing the thread does, whichever way it ends: takes in the writes that finished
     * (starting none: a retry or the rest of a batch stays for the next start) and commits the
     * batches that completed, in outbox order. Uncommitted batches are re-read at the next start.
     */
    private void commitOnExit() {
        if (reader == null) {
            return;
        }
        // Chronicle's files are closed under an interrupted thread: commit with the flag cleared.
        boolean interrupted = Thread.interrupted();
        windingDown = true;
        exiting = true;
        try {
            for (Batch b : window) {
                if (!b.done && b.pending != null && b.pending.isDone()) {
                    handle(b);
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (RuntimeException | Error e) {
            log.warn("forwarder {}: taking in the finished writes at exit failed", name, e);
        }
        try {
            commitCompleted();
        } catch (RuntimeException | Error e) {
            log.error("forwarder {}: committing the completed batches at exit failed; they will be sent again",
                    name, e);
        }
        if (!window.isEmpty()) {
            log.info("forwarder {} stopped with {} batches ({} entries) not delivered in full; they stay in its "
                    + "outbox and are sent again at the next start", name, window.size(), uncommittedEntries());
        }
        window.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private long uncommittedEntries() {
        long entries = 0;
        for (Batch b : window) {
            entries += b.entries.size();
        }
        return entries;
    }

    private boolean pastStopDeadline() {
        return stopping && System.nanoTime() - stopDeadlineNanos >= 0;
    }

    /**
     * Reads and starts new batches while the window has room and no batch waits to be retried (a
     * destination that fails gets no more load until it accepts again), and not once a stop has
     * run out of time or a batch cannot finish before it; true when one started.
     */
    private boolean startBatches() throws InterruptedException {
        boolean started = false;
        while (window.size() < maxInFlight && !anyRetryPending() && !windingDown && !pastStopDeadline()) {
            fillBatch();
            if (batch.isEmpty()) {
                break;
            }
            Batch next = new Batch(List.copyOf(batch), new ArrayList<>(toWrite));
            oversized.forEach(entry -> deadLetter(entry, "entry of " + destination.sizeOf(entry)
                    + " bytes exceeds the destination's limit of " + maxRecordBytes + " bytes"));
            batch.clear();
            toWrite.clear();
            oversized.clear();
            window.add(next);
            send(next);
            started = true;
        }
        return started;
    }

    private boolean anyRetryPending() {
        for (Batch b : window) {
            if (b.retryAtNanos != 0) {
                return true;
            }
        }
        return false;
    }

    private boolean anyReady() {
        long now = System.nanoTime();
        for (Batch b : window) {
            if (b.done || (b.pending != null && b.pending.isDone())
                    || (b.pending == null && !b.stranded && now - b.retryAtNanos >= 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * When to look again: the earliest retry time, or soon while writes are under way (they unpark
     * us), and no later than a stop's deadline.
     */
    private long nextWakeNanos() {
        long wake = System.nanoTime() + IDLE_PARK_MAX_NANOS * 20;
        if (stopping && stopDeadlineNanos - wake < 0) {
            wake = stopDeadlineNanos;
        }
        for (Batch b : window) {
            if (b.pending == null && !b.done && !b.stranded && b.retryAtNanos - wake < 0) {
                wake = b.retryAtNanos;
            }
        }
        return wake;
    }

    /** Starts a write of what {@code b} still has to send (nothing: it is done). */
    private void send(Batch b) throws InterruptedException {
        b.retryAtNanos = 0;
        if (budget != null && !b.sending.isEmpty()) {
            b.sending = withoutStale(b.sending);
        }
        if (b.sending.isEmpty()) {
            b.done = true;
            return;
        }
        if (exiting || pastStopDeadline()) {
            strand(b);
            return;
        }
        metrics.writing(b.sending.size());
        b.inFlightCount = b.sending.size();
        CompletableFuture<WriteResult> future;
        try {
            future = destination.writeAsync(b.sending);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            future = CompletableFuture.failedFuture(e);
        }
        b.pending = future;
        Thread self = thread;
        future.whenComplete((result, error) -> LockSupport.unpark(self));
    }

    /**
     * Handles every finished write and restarts every batch whose backoff passed. A batch that a
     * stop leaves no time for is stranded instead (see {@link #strand}); the others go on.
     */
    private void advance() throws InterruptedException {
        long now = System.nanoTime();
        for (Batch b : window) {
            if (b.done || b.stranded) {
                continue;
            }
            if (b.pending != null && b.pending.isDone()) {
                handle(b);
            } else if (b.pending == null && now - b.retryAtNanos >= 0) {
                send(b);
            }
        }
    }

    /**
     * Gives up {@code b} for this run: a stop leaves no time to finish it. It stays in the window
     * uncommitted (so nothing after it is committed either) and is read again at the next start.
     * No new batch starts from now on; the writes under way ahead of it are still taken in.
     */
    private void strand(Batch b) {
        b.stranded = true;
        b.retryAtNanos = 0;
        windingDown = true;
    }

    /** Takes in one finished write of {@code b}: accepted, dead-lettered, or to be sent again. */
    private void handle(Batch b) throws InterruptedException {
        CompletableFuture<WriteResult> finished = b.pending;
        b.pending = null;
        metrics.written(b.inFlightCount);
        WriteResult result;
        try {
            result = finished.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof InterruptedException) {
                throw (InterruptedException) cause;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            metrics.failed();
            scheduleRetry(b, cause.toString(), b.sending.size());
            metrics.retried(b.sending.size(), 0);
            return;
        }
        List<OutboxEntry> sending = b.sending;
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
                    b.accepted++;
                    b.acceptedBytes += entry.payload().length;
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
        b.sending = again;
        if (failed > 0) {
            // Deferred entries wait with the failed ones: they follow them in the device's order.
            scheduleRetry(b, failed + " of " + sending.size() + " entries not accepted: " + firstReason, failed);
            metrics.retried(failed, throttled);
            return;
        }
        if (backoff.attempts() > 0) {
            log.info("forwarder {}: destination accepts writes again", name);
            backoff.reset();
        }
        send(b);
    }

    /**
     * Adds entries to the batch until it is full, the linger time ran out, or the outbox is empty.
     * An entry that would take the batch past its byte limit is left for the next batch; one larger
     * than the configured {@code maxBytes} on its own goes alone; one larger than the destination
     * allows at all is taken along only to be dead-lettered.
     */
    private void fillBatch() {
        try {
            readBatch();
        } finally {
            long corrupt = reader.corruptSkipped();
            if (corrupt > corruptCounted) {
                metrics.dropped(OutboxBudget.DropReason.CORRUPT, corrupt - corruptCounted);
                corruptCounted = corrupt;
            }
        }
    }

    private void readBatch() {
        long bytes = 0;
        long firstReadNanos = 0;
        // batch.size(), not toWrite.size(): entries too large to send (or too old) count too, so a
        // backlog of them is never read into memory at once.
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
                OutboxBudget.DropReason stale = budget == null ? null
                        : budget.staleness(entry, System.currentTimeMillis());
                if (stale != null) {
                    metrics.dropped(stale, 1);
                } else if (size <= maxRecordBytes) {
                    toWrite.add(entry);
                } else {
                    oversized.add(entry);
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

    /** Commits the batches at the head of the window that are done, in outbox order. */
    private void commitCompleted() {
        while (!window.isEmpty() && window.peekFirst().done) {
            complete(window.pollFirst());
        }
    }

    /** {@code entries} without those too old or expired to be sent, which are counted as dropped. */
    private List<OutboxEntry> withoutStale(List<OutboxEntry> entries) {
        long now = System.currentTimeMillis();
        List<OutboxEntry> fresh = null;
        for (int i = 0; i < entries.size(); i++) {
            OutboxBudget.DropReason stale = budget.staleness(entries.get(i), now);
            if (stale != null && fresh == null) {
                fresh = new ArrayList<>(entries.subList(0, i));
            }
            if (stale != null) {
                metrics.dropped(stale, 1);
            } else if (fresh != null) {
                fresh.add(entries.get(i));
            }
        }
        return fresh == null ? entries : fresh;
    }

    /**
     * Overflow policy {@code drop-oldest}: gives up the oldest entries until the outbox has room.
     * First the batches at the head of the window that wait to be retried (a write under way is let
     * finish, so what is counted dropped was never accepted), then unread entries, in chunks.
     */
    private void dropOldest(OutboxBudget.DropReason reason) {
        while (!window.isEmpty()) {
            Batch head = window.peekFirst();
            if (!head.done && head.pending != null) {
                return;
            }
            if (!head.done) {
                metrics.dropped(reason, head.sending.size());
                head.sending = List.of();
                head.done = true;
            }
            complete(window.pollFirst());
        }
        int chunks = reason == OutboxBudget.DropReason.DISK_FULL ? 1 : Integer.MAX_VALUE;
        while (chunks-- > 0 && budget.fullness() != null) {
            OutboxEntry last = null;
            int entries = 0;
            long bytes = 0;
            for (OutboxEntry entry; entries < DROP_CHUNK && (entry = reader.next()) != null; entries++) {
                last = entry;
                bytes += entry.encodedBytes();
            }
            if (last == null) {
                return;
            }
            reader.commit(last.index(), entries, bytes);
            metrics.dropped(reason, entries);
        }
        log.warn("forwarder {}: outbox full ({}): dropped its oldest entries (overflow: drop-oldest)", name,
                reason.label());
    }

    private void deadLetter(OutboxEntry entry, String reason) {
        deadLetters.add(entry, reason);
        metrics.rejected();
        log.warn("forwarder {}: message {} from {} dead-lettered: {}", name, entry.messageId(), entry.clientId(),
                reason);
    }

    /**
     * Marks the destination degraded and sets when {@code b} is sent again; strands it when a stop
     * would run out of time before that.
     */
    private void scheduleRetry(Batch b, String error, int entries) {
        long delayMs = backoff.nextDelayMs();
        status = status.degraded(error);
        long retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        if (exiting || (stopping && retryAt - stopDeadlineNanos > 0)) {
            log.warn("forwarder {}: writing {} entries failed (attempt {}); stopping leaves no time to retry, "
                    + "they stay in its outbox: {}", name, entries, backoff.attempts(), error);
            strand(b);
            return;
        }
        log.warn("forwarder {}: writing {} entries failed (attempt {}), retrying in {} ms: {}", name, entries,
                backoff.attempts(), delayMs, error);
        b.retryAtNanos = retryAt == 0 ? 1 : retryAt;
    }

    private void complete(Batch b) {
        OutboxEntry last = b.entries.get(b.entries.size() - 1);
        long encoded = 0;
        for (OutboxEntry entry : b.entries) {
            encoded += entry.encodedBytes();
        }
        reader.commit(last.index(), b.entries.size(), encoded);
        metrics.completed(b.accepted, b.acceptedBytes, b.entries.get(0).ingestTimeMillis(), System.currentTimeMillis());
        status = status.delivered(b.accepted);
    }

    /** One batch read from the outbox, from its first write until every entry is accepted or dead-lettered. */
    private static final class Batch {
        /** Every entry read for it, in outbox order: its commit covers all of them. */
        final List<OutboxEntry> entries;
        /** What is still to be accepted (retriable and deferred entries, in order). */
        List<OutboxEntry> sending;
        CompletableFuture<WriteResult> pending;
        int inFlightCount;
        /** When a failed write is tried again; 0 when none waits. */
        long retryAtNanos;
        boolean done;
        /** A stop left no time to finish it: it stays uncommitted, for the next start. */
        boolean stranded;
        int accepted;
        long acceptedBytes;

        Batch(List<OutboxEntry> entries, List<OutboxEntry> sending) {
            this.entries = entries;
            this.sending = sending;
        }
    }
}
