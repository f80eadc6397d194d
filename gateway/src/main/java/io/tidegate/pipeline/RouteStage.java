package io.tidegate.pipeline;

import com.lmax.disruptor.EventHandler;

/** Stage 1: gives the message its stable id and chooses its destinations. */
final class RouteStage implements EventHandler<IngestEvent> {

    private final Router router;
    private final MessageIdGenerator ids = new MessageIdGenerator();

    RouteStage(Router router) {
        this.router = router;
    }

    @Override
    public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
        ids.next(event, event.ingestTimeMillis);
        event.destinationCount = router.route(event, event.destinations);
    }
}
