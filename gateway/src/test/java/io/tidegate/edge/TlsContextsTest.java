package io.tidegate.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslEngine;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCounted;
import io.tidegate.config.TlsConfig;
import io.tidegate.security.certs.DevelopmentPki;
import io.tidegate.security.certs.DevelopmentPkiFiles;
import io.tidegate.security.certs.DeviceFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's OpenSSL context: reference-counted engines (no finalizer, native memory freed when
 * the connection closes) and a small non-application BIO buffer, with which a mutual TLS 1.3
 * handshake, its session tickets and application data in both directions still go through. Client
 * and server are two {@link EmbeddedChannel}s whose bytes are passed across by hand.
 */
class TlsContextsTest {

    private static final String DEVICE = "device-1";

    @TempDir
    static Path dir;

    private static DevelopmentPkiFiles pki;

    private SslContext server;
    private SslContext client;

    @BeforeAll
    static void createPki() throws Exception {
        pki = DevelopmentPki.ensure(dir.resolve("certs"), List.of(DEVICE));
    }

    @BeforeEach
    void contexts() throws Exception {
        assumeTrue(OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) does not load here");
        server = TlsContexts.serverContext(
                new TlsConfig(null, null, null, TlsConfig.ClientAuth.REQUIRED, TlsConfig.IdentitySource.CN,
                        TlsConfig.TlsProvider.OPENSSL),
                new TlsContexts.KeyMaterial(pki.serverChain(), pki.serverKey(), pki.caCert()));
        DeviceFiles device = pki.devices().get(DEVICE);
        client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .keyManager(device.certificate().toFile(), device.privateKey().toFile())
                .trustManager(pki.caCert().toFile()).protocols("TLSv1.3").build();
    }

    @AfterEach
    void release() {
        if (server instanceof ReferenceCounted counted) {
            counted.release();
        }
    }

    @Test
    void openSslContextIsReferenceCountedWithASmallNonApplicationBuffer() {
        assertThat(server).isInstanceOf(ReferenceCountedOpenSslContext.class);
        assertThat(((ReferenceCountedOpenSslContext) server).getBioNonApplicationBufferSize())
                .isEqualTo(TlsContexts.NON_APPLICATION_BIO_BYTES);

        SslHandler handler = server.newHandler(ByteBufAllocator.DEFAULT);
        try {
            assertThat(handler.engine()).isInstanceOf(ReferenceCounted.class).isNotInstanceOf(OpenSslEngine.class);
        } finally {
            ((ReferenceCounted) handler.engine()).release();
        }
    }

    @Test
    void mutualTlsHandshakeAndDataPassTheEventsHandlerLeavesAndTheEngineIsFreedOnClose() {
        EmbeddedChannel serverChannel = new EmbeddedChannel();
        SslHandler serverSsl = server.newHandler(serverChannel.alloc());
        serverChannel.pipeline().addLast(serverSsl, new TlsHandshakeEvents(new SimpleMeterRegistry()));
        EmbeddedChannel clientChannel = new EmbeddedChannel();
        SslHandler clientSsl = client.newHandler(clientChannel.alloc());
        clientChannel.pipeline().addLast(clientSsl);

        pump(clientChannel, serverChannel);

        assertThat(serverSsl.handshakeFuture().isSuccess()).isTrue();
        assertThat(clientSsl.handshakeFuture().isSuccess()).isTrue();
        assertThat(serverSsl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(serverChannel.pipeline().get(TlsHandshakeEvents.class)).as("leaves after the handshake").isNull();

        clientChannel.writeOutbound(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
        serverChannel.writeOutbound(Unpooled.copiedBuffer("pong".repeat(1_000), StandardCharsets.US_ASCII));
        pump(clientChannel, serverChannel);
        assertThat(readAll(serverChannel)).isEqualTo("ping");
        assertThat(readAll(clientChannel)).isEqualTo("pong".repeat(1_000));

        ReferenceCounted engine = (ReferenceCounted) serverSsl.engine();
        serverChannel.close();
        assertThat(engine.refCnt()).isZero();
        clientChannel.finishAndReleaseAll();
        serverChannel.finishAndReleaseAll();
    }

    /** Moves TLS bytes between the two channels until neither has anything left to send. */
    private static void pump(EmbeddedChannel a, EmbeddedChannel b) {
        boolean moved = true;
        while (moved) {
            moved = transfer(a, b) | transfer(b, a);
        }
    }

    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
            to.writeInbound(bytes);
            moved = true;
        }
        return moved;
    }

    private static String readAll(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (ByteBuf bytes = channel.readInbound(); bytes != null; bytes = channel.readInbound()) {
            text.append(bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }
        return text.toString();
    }
}
