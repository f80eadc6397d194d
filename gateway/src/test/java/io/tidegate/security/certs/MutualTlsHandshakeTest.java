package io.tidegate.security.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real TLS handshakes over loopback with Netty, loading the development PKI's files exactly as the
 * gateway's listener would, with both the JDK and the BoringSSL (tcnative) providers.
 */
class MutualTlsHandshakeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String DEVICE = "sensor-1";

    @TempDir
    static Path dir;

    private static DevelopmentPkiFiles pki;

    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final List<Channel> channels = new ArrayList<>();

    @BeforeAll
    static void createPki() throws Exception {
        pki = DevelopmentPki.ensure(dir.resolve("certs"), List.of(DEVICE));
    }

    @AfterEach
    void shutDown() {
        channels.forEach(channel -> channel.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Stream<SslProvider> providers() {
        return OpenSsl.isAvailable() ? Stream.of(SslProvider.JDK, SslProvider.OPENSSL) : Stream.of(SslProvider.JDK);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void deviceOfTheDevelopmentCaCompletesMutualTls(SslProvider provider) throws Exception {
        Outcome outcome = handshake(provider, pki.devices().get(DEVICE));

        assertThat(outcome.client()).succeedsWithin(TIMEOUT);
        X509Certificate peer = outcome.server().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(CertificateIdentity.commonName(peer)).contains(DEVICE);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void deviceOfAnotherCaIsRefused(SslProvider provider) throws Exception {
        CertificateAuthority stranger = CertificateAuthority.create("Stranger CA", Duration.ofDays(1));

        Outcome outcome = handshake(provider, writeClient(stranger, provider + "-stranger"));

        // The client finds no certificate from a CA the server names, so it sends none; the server refuses.
        assertThat(outcome.server()).failsWithin(TIMEOUT);
        // With TLS 1.3 the client may finish before the server judges it; either way it is cut off.
        assertThat(outcome.clientClosed()).succeedsWithin(TIMEOUT);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void deviceOfAnImpostorCaWithTheSameNameIsRefused(SslProvider provider) throws Exception {
        String caName = CertificateIdentity.commonName(PemFiles.readCertificate(pki.caCert())).orElseThrow();
        CertificateAuthority impostor = CertificateAuthority.create(caName, Duration.ofDays(1));

        Outcome outcome = handshake(provider, writeClient(impostor, provider + "-impostor"));

        // The issuer name matches, so the client does present its certificate and the signature check must fail.
        assertThat(outcome.server()).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .satisfies(cause -> assertThat(cause.getMessage())
                        .doesNotContain("Empty client certificate chain", "PEER_DID_NOT_RETURN_A_CERTIFICATE"));
        assertThat(outcome.clientClosed()).succeedsWithin(TIMEOUT);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void expiredDeviceCertificateIsRefused(SslProvider provider) throws Exception {
        CertificateAuthority ca = CertificateAuthority.load(pki.caCert(), pki.caKey());
        Instant now = Instant.now();
        IssuedCertificate expired = ca.issue(CertificateRequest.client(DEVICE, Duration.ofDays(1))
                .withValidity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
        DeviceFiles files = new DeviceFiles(dir.resolve(provider + "-expired.pem"), dir.resolve(provider + "-expired.key"));
        expired.writePem(files.certificate(), files.privateKey());

        Outcome outcome = handshake(provider, files);

        assertThat(outcome.server()).failsWithin(TIMEOUT);
        assertThat(outcome.clientClosed()).succeedsWithin(TIMEOUT);
    }

    private record Outcome(CompletableFuture<X509Certificate> server, CompletableFuture<Void> client,
                           CompletableFuture<Void> clientClosed) {
    }

    private static DeviceFiles writeClient(CertificateAuthority ca, String fileStem) throws Exception {
        DeviceFiles files = new DeviceFiles(dir.resolve(fileStem + ".pem"), dir.resolve(fileStem + ".key"));
        ca.issueClient(DEVICE, Duration.ofDays(1)).writePem(files.certificate(), files.privateKey());
        return files;
    }

    private Outcome handshake(SslProvider provider, DeviceFiles device) throws Exception {
        SslContext serverContext = SslContextBuilder
                .forServer(pki.serverChain().toFile(), pki.serverKey().toFile())
                .trustManager(pki.caCert().toFile())
                .clientAuth(ClientAuth.REQUIRE)
                .sslProvider(provider)
                .build();
        SslContext clientContext = SslContextBuilder.forClient()
                .keyManager(device.certificate().toFile(), device.privateKey().toFile())
                .trustManager(pki.caCert().toFile())
                .endpointIdentificationAlgorithm("HTTPS")
                .sslProvider(provider)
                .build();

        CompletableFuture<X509Certificate> serverSide = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler ssl = serverContext.newHandler(channel.alloc());
                        channel.pipeline().addLast(ssl, new CloseOnError());
                        ssl.handshakeFuture().addListener(done -> {
                            if (done.isSuccess()) {
                                serverSide.complete((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0]);
                            } else {
                                serverSide.completeExceptionally(done.cause());
                            }
                        });
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        channels.add(server);
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        CompletableFuture<Void> clientSide = new CompletableFuture<>();
        Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // "localhost" is what the client checks the server certificate's SANs against.
                        SslHandler ssl = clientContext.newHandler(channel.alloc(), "localhost", port);
                        channel.pipeline().addLast(ssl, new CloseOnError());
                        ssl.handshakeFuture().addListener(done -> complete(clientSide, done));
                    }
                })
                .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
        channels.add(client);
        CompletableFuture<Void> clientClosed = new CompletableFuture<>();
        client.closeFuture().addListener(done -> clientClosed.complete(null));
        return new Outcome(serverSide, clientSide, clientClosed);
    }

    private static void complete(CompletableFuture<Void> target, Future<?> done) {
        if (done.isSuccess()) {
            target.complete(null);
        } else {
            target.completeExceptionally(done.cause());
        }
    }

    /** Ends the connection on a TLS failure instead of logging it as an unhandled pipeline exception. */
    private static final class CloseOnError extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
