package io.tidegate.loadgen.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.tidegate.loadgen.scenario.LoadSpec.TlsSettings;
import io.tidegate.security.certs.CertificateAuthority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import javax.net.ssl.SSLEngine;

/**
 * The client TLS context every device shares: trusts the given CA (or anything, with insecure), and
 * presents no certificate, one shared certificate, or one issued per device by {@link DeviceKeyManager}.
 * OpenSSL (BoringSSL) when it loads: it costs far less CPU per handshake than the JDK's TLS.
 */
public final class ClientTls {

    private static final Logger log = LoggerFactory.getLogger(ClientTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final DeviceKeyManager deviceKeys;
    private final long handshakeTimeoutMillis;

    private ClientTls(SslContext context, DeviceKeyManager deviceKeys, long handshakeTimeoutMillis) {
        this.context = context;
        this.deviceKeys = deviceKeys;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    public static ClientTls create(TlsSettings settings, long handshakeTimeoutMillis) throws IOException {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (provider == SslProvider.JDK) {
            log.info("OpenSSL unavailable ({}); using JDK TLS", String.valueOf(OpenSsl.unavailabilityCause()));
        }
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider).protocols(PROTOCOLS);
        if (settings.insecure()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            builder.trustManager(settings.caFile().toFile());
        }
        DeviceKeyManager deviceKeys = null;
        if (settings.certFile() != null) {
            builder.keyManager(settings.certFile().toFile(), settings.keyFile().toFile());
        } else if (settings.perDeviceCertificates()) {
            deviceKeys = new DeviceKeyManager(CertificateAuthority.load(settings.deviceCaCert(), settings.deviceCaKey()));
            builder.keyManager(deviceKeys);
        }
        SslContext context = builder.build();
        // Every device does a full handshake, as a fleet of distinct devices does. Resuming another
        // device's session would also carry that device's certificate, and so its identity.
        if (context.sessionContext() instanceof OpenSslSessionContext openSsl) {
            openSsl.setSessionCacheEnabled(false);
        } else if (deviceKeys != null || settings.certFile() != null) {
            log.warn("JDK TLS may resume sessions between devices; per-device identities can be mixed up. Use OpenSSL.");
        }
        return new ClientTls(context, deviceKeys, handshakeTimeoutMillis);
    }

    /** Issues the device's certificate ahead of its connection, when each device has its own. */
    public void prepareDevice(String deviceId) {
        if (deviceKeys != null) {
            deviceKeys.prepare(deviceId);
        }
    }

    /** A handler for one device's connection, with SNI set to the broker's host name. */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port, String deviceId) {
        SslHandler handler = context.newHandler(alloc, host, port);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        if (deviceKeys != null) {
            deviceKeys.register(handler.engine(), deviceId);
        }
        return handler;
    }

    /** Releases per-handshake state; safe to call more than once. */
    public void handshakeFinished(SSLEngine engine) {
        if (deviceKeys != null) {
            deviceKeys.forget(engine);
        }
    }
}
