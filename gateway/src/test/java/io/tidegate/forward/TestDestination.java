package io.tidegate.forward;

import io.tidegate.testing.Await;
import io.tidegate.outbox.OutboxEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A destination that records every write attempt and every accepted batch; it can be told to fail
 * the next writes, fail all of them, hold one attempt until the test releases it (blocking the
 * caller, or as a write in flight that completes later), or report chosen per-entry outcomes
 * (retriable, throttled, rejected).
 */
final class TestDestination implements Destination {

    /** Every batch offered, failed or not (copies: the forwarder reuses its list). */
    final List<List<OutboxEntry>> attempts = new CopyOnWriteArrayList<>();
    /** The accepted part of every write that did not throw, in order. */
    final List<List<OutboxEntry>> accepted = new CopyOnWriteArrayList<>();

    private volatile int failuresLeft;
    private volatile boolean failAlways;
    private volatile int holdAttempt = -1;
    private volatile boolean holdInFlight;
    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile Function<List<OutboxEntry>, WriteResult> outcomes = batch -> WriteResult.accepted(batch.size());
    private volatile DestinationLimits limits = DestinationLimits.NONE;

    /** Decides each write's per-entry outcomes (all accepted by default); runs after the failure switches. */
    TestDestination outcomes(Function<List<OutboxEntry>, WriteResult> decide) {
        outcomes = decide;
        return this;
    }

    TestDestination limits(DestinationLimits newLimits) {
        limits = newLimits;
        return this;
    }

    @Override
    public DestinationLimits limits() {
        return limits;
    }

    @Override
    public String billableUnit() {
        return "test_units";
    }

    TestDestination failNext(int count) {
        failuresLeft = count;
        return this;
    }

    TestDestination failAlways(boolean fail) {
        failAlways = fail;
        return this;
    }

    /** The {@code attempt}-th write (1-based) waits until {@link #release()}. */
    TestDestination holdAttempt(int attempt) {
        holdAttempt = attempt;
        return this;
    }

    /**
     * The {@code attempt}-th write (1-based) is left in flight: {@link #writeAsync} returns at once,
     * and its future completes (on the releasing thread) at {@link #release()}.
     */
    TestDestination holdAttemptInFlight(int attempt) {
        holdAttempt = attempt;
        holdInFlight = true;
        return this;
    }

    void release() {
        release.complete(null);
    }

    @Override
    public CompletableFuture<WriteResult> writeAsync(List<OutboxEntry> batch) throws InterruptedException {
        if (!holdInFlight || attempts.size() + 1 != holdAttempt) {
            return Destination.super.writeAsync(batch);
        }
        List<OutboxEntry> copy = List.copyOf(batch);
        attempts.add(copy);
        return release.thenApply(released -> {
            try {
                return decide(copy);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public WriteResult write(List<OutboxEntry> batch) throws Exception {
        List<OutboxEntry> copy = List.copyOf(batch);
        attempts.add(copy);
        if (attempts.size() == holdAttempt) {
            try {
                release.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the test never released attempt " + holdAttempt);
            }
        }
        return decide(copy);
    }

    private WriteResult decide(List<OutboxEntry> copy) throws IOException {
        if (failAlways) {
            throw new IOException("injected failure (always)");
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IOException("injected failure, " + failuresLeft + " more to come");
        }
        WriteResult result = outcomes.apply(copy);
        List<OutboxEntry> acceptedPart = new ArrayList<>();
        for (int i = 0; i < copy.size(); i++) {
            if (result.outcome(i) == WriteResult.Outcome.ACCEPTED) {
                acceptedPart.add(copy.get(i));
            }
        }
        accepted.add(List.copyOf(acceptedPart));
        return result.billableUnits(acceptedPart.size());
    }

    List<OutboxEntry> acceptedEntries() {
        return accepted.stream().flatMap(List::stream).toList();
    }

    List<Integer> batchSizes() {
        return accepted.stream().map(List::size).toList();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String describe() {
        return "test:memory";
    }

    @Override
    public void close() {
        closed = true;
    }
}
