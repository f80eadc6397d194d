package io.tidegate.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each failed TLS handshake once, with its reason (no certificate, untrusted, expired), to
 * the {@code tidegate.event} logger and counts it; the connection is closed by the TLS handler.
 * A handshake happens once per connection, so the handler leaves the pipeline after it: one
 * handler context less for every connection that stays.
 */
@ChannelHandler.Sharable
final class TlsHandshakeEvents extends ChannelInboundHandlerAdapter {

    private static final Logger events = LoggerFactory.getLogger("tidegate.event");

    private final Counter failures;

    TlsHandshakeEvents(MeterRegistry registry) {
        failures = Counter.builder("tidegate.tls.handshake.failures")
                .description("TLS handshakes that failed (bad, expired or missing client certificates included)")
                .register(registry);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent && !ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
        if (evt instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
            failures.increment();
            Throwable cause = completion.cause();
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            events.info("tls handshake failed remote={} reason={}", ctx.channel().remoteAddress(), cause.getMessage());
        }
        ctx.fireUserEventTriggered(evt);
    }
}
