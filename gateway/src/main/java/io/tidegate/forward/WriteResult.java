package io.tidegate.forward;

import java.util.Arrays;

/**
 * What a destination did with each entry of one write, by position in the list it was given:
 * accepted, worth retrying (a per-record failure such as Kinesis {@code InternalFailure}, or a
 * throttle), or rejected for good with a reason (the entry goes to the dead-letter outbox). Starts
 * with every entry accepted; the destination marks the exceptions. Also carries the billable units
 * the accepted part cost, when the destination has such a unit.
 */
public final class WriteResult {

    /**
     * The fate of one entry. {@code DEFERRED} is no failure: the destination chose not to send it
     * in this call (to keep a device's order) and it goes in the next call, without backing off.
     */
    public enum Outcome { ACCEPTED, RETRIABLE, THROTTLED, REJECTED, DEFERRED }

    private final Outcome[] outcomes;
    private final String[] reasons;
    private long billableUnits;

    private WriteResult(int size) {
        outcomes = new Outcome[size];
        reasons = new String[size];
        Arrays.fill(outcomes, Outcome.ACCEPTED);
    }

    /** Every one of {@code size} entries accepted; mark the exceptions with the methods below. */
    public static WriteResult accepted(int size) {
        return new WriteResult(size);
    }

    /** Entry {@code i} failed transiently: send it again. */
    public WriteResult retry(int i, String reason) {
        return mark(i, Outcome.RETRIABLE, reason);
    }

    /** Entry {@code i} was refused for lack of capacity: send it again after backing off. */
    public WriteResult throttle(int i, String reason) {
        return mark(i, Outcome.THROTTLED, reason);
    }

    /** Entry {@code i} was held back from this call on purpose: send it in the next one, at once. */
    public WriteResult defer(int i) {
        return mark(i, Outcome.DEFERRED, null);
    }

    /** Entry {@code i} can never be accepted: dead-letter it with {@code reason}. */
    public WriteResult reject(int i, String reason) {
        return mark(i, Outcome.REJECTED, reason);
    }

    public WriteResult billableUnits(long units) {
        billableUnits = units;
        return this;
    }

    private WriteResult mark(int i, Outcome outcome, String reason) {
        outcomes[i] = outcome;
        reasons[i] = reason;
        return this;
    }

    public int size() {
        return outcomes.length;
    }

    public Outcome outcome(int i) {
        return outcomes[i];
    }

    /** Why entry {@code i} was not accepted; null when it was. */
    public String reason(int i) {
        return reasons[i];
    }

    public long billableUnits() {
        return billableUnits;
    }
}
