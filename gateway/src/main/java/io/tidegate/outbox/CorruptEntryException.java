package io.tidegate.outbox;

/** An outbox entry that cannot be decoded: a format version this build does not know, or damage. */
public class CorruptEntryException extends RuntimeException {
    public CorruptEntryException(String message) {
        super(message);
    }
}
