package io.tidegate.loadgen.scenario;

/** A scenario file or setting that cannot be used; the message names the key and what is allowed. */
public final class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ScenarioException(String message) {
        super(message);
    }
}
