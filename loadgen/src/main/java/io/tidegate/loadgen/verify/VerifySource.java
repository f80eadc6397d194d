package io.tidegate.loadgen.verify;

/** A destination whose stored messages can be read back into a {@link SequenceLedger}. */
public interface VerifySource extends AutoCloseable {

    /** Reads everything stored into the ledger. */
    void readInto(SequenceLedger ledger) throws Exception;

    /** For the report, e.g. {@code file:/var/lib/tidegate/sink/file}. */
    String describe();

    @Override
    default void close() {
    }
}
