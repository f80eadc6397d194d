package io.tidegate.pipeline;

import com.lmax.disruptor.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** Stage 1: gives the message its stable id and chooses its destinations. */
final class RouteStage implements EventHandler<IngestEvent> {

    private static final Logger log = LoggerFactory.getLogger(RouteStage.class);

    private final Router router;
    private final MessageIdGenerator ids = new MessageIdGenerator();
    private long lastFailureLogNanos;

    RouteStage(Router router) {
        this.router = router;
    }

    @Override
    public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
        ids.next(event, event.ingestTimeMillis);
        if (event.localOnly) {
            return;
        }
        try {
            router.route(event);
        } catch (RuntimeException ex) {
            // Not routed is not "routed nowhere": the persist stage refuses it instead of acknowledging it.
            event.deliveryCount = 0;
            event.failure = "routing failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
            logFailure(ex);
        }
    }

    private void logFailure(RuntimeException ex) {
        long now = System.nanoTime();
        if (now - lastFailureLogNanos > 10_000_000_000L) {
            lastFailureLogNanos = now;
            log.error("cannot route a message; publishers get an error instead of an acknowledgement", ex);
        }
    }
}
