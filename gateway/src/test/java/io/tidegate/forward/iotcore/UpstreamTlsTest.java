package io.tidegate.forward.iotcore;

import io.tidegate.config.IotCoreConfig;
import io.tidegate.security.certs.CertificateAuthority;
import io.tidegate.security.certs.IssuedCertificate;
import io.tidegate.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IoT Core connections' TLS against a real TLS server (the JDK's): the gateway's certificate
 * is presented, the server name is sent, and on port 443 the ALPN protocol IoT Core requires
 * there ({@code x-amzn-mqtt-ca}) is offered.
 */
class UpstreamTlsTest {

    @TempDir
    Path dir;

    private SSLServerSocket server;
    private final List<String> offered = new CopyOnWriteArrayList<>();
    private final List<String> clientNames = new CopyOnWriteArrayList<>();
    private IotCoreDestination destination;

    @AfterEach
    void close() throws Exception {
        if (destination != null) {
            destination.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void offersTheIotCoreAlpnProtocolAndPresentsTheGatewayCertificate() throws Exception {
        IotCoreConfig config = startServerAndConfig(true);
        destination = new IotCoreDestination("cloud", config, DownstreamSink.NONE);

        Await.until("a handshake", Duration.ofSeconds(20), () -> !clientNames.isEmpty());
        assertThat(offered).contains(UpstreamTls.IOT_CORE_ALPN);
        assertThat(clientNames.get(0)).isEqualTo("CN=depot-gateway");
    }

    @Test
    void noAlpnWhenNotAsked() throws Exception {
        IotCoreConfig config = startServerAndConfig(false);
        destination = new IotCoreDestination("cloud", config, DownstreamSink.NONE);

        Await.until("a handshake", Duration.ofSeconds(20), () -> !clientNames.isEmpty());
        assertThat(offered).isEmpty();
    }

    private IotCoreConfig startServerAndConfig(boolean alpn) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(1));
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        IssuedCertificate serverCert = ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(1));
        ca.issueClient("depot-gateway", Duration.ofDays(1)).writePem(dir.resolve("gw.pem"), dir.resolve("gw.key"));

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverCert.privateKey(), "x".toCharArray(),
                serverCert.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "x".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
        server.setNeedClientAuth(true);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.setHandshakeApplicationProtocolSelector((engine, protocols) -> {
                        offered.addAll(protocols);
                        return protocols.contains(UpstreamTls.IOT_CORE_ALPN) ? UpstreamTls.IOT_CORE_ALPN : null;
                    });
                    socket.startHandshake();
                    clientNames.add(((X509Certificate) socket.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName());
                } catch (Exception closedOrRefused) {
                    // the test's assertions say what was expected
                }
            }
        }, "tls-test-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return new IotCoreConfig("localhost", server.getLocalPort(), alpn, dir.resolve("gw.pem"), dir.resolve("gw.key"),
                dir.resolve("ca.pem"), "depot", 1, null, null, null, null, null, null, null, null);
    }
}
