package io.tidegate.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT as a latch. Handling the signals ourselves (instead of only a shutdown hook)
 * lets {@code run} stop gracefully and then exit 0, which supervisors such as systemd and
 * Kubernetes read as a clean stop; a shutdown hook alone ends the JVM with 143.
 */
final class StopSignals {

    private StopSignals() {
    }

    static CountDownLatch install() {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        return stop;
    }
}
