package io.tidegate.outbox;

/**
 * An outbox entry in a format version this build does not know: written by a newer gateway. Never
 * skipped (a downgrade must not drop what the newer version stored): reading stops with this error.
 */
public class UnsupportedEntryFormatException extends CorruptEntryException {
    public UnsupportedEntryFormatException(String message) {
        super(message);
    }
}
