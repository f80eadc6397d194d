package io.tidegate.edge;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tidegate.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * Server TLS contexts from PEM files: TLS 1.3 and 1.2 only, client certificates checked against
 * the trusted CA bundle, OpenSSL (BoringSSL) when it loads and the JDK otherwise.
 *
 * <p>OpenSSL engines are the reference-counted kind ({@link SslProvider#OPENSSL_REFCNT}): the
 * {@code SslHandler} frees a connection's native {@code SSL} (about 5 KiB of BoringSSL memory) as
 * soon as the channel closes, where the default engine waits for a garbage collection of the old
 * generation and the finalizer thread. The listener releases the context when it closes.
 */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * Native buffer each OpenSSL connection keeps for TLS bytes produced outside a wrap (TLS 1.3
     * session tickets, alerts, key updates); Netty's default is 2,048 bytes, allocated per
     * connection and held for its lifetime. What does not fit waits in BoringSSL until the next
     * wrap, so a smaller buffer costs an extra wrap now and then, never data.
     */
    static final int NON_APPLICATION_BIO_BYTES = 256;

    private TlsContexts() {
    }

    /** The key material a listener uses after development certificates were filled in. */
    public record KeyMaterial(Path certChain, Path privateKey, Path trustedCa) {
    }

    public static SslContext serverContext(TlsConfig tls, KeyMaterial keys) throws SSLException {
        SslProvider provider = provider(tls.provider());
        SslContextBuilder builder = SslContextBuilder.forServer(keys.certChain().toFile(), keys.privateKey().toFile())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .clientAuth(switch (tls.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case OPTIONAL -> ClientAuth.OPTIONAL;
                    case REQUIRED -> ClientAuth.REQUIRE;
                });
        if (keys.trustedCa() != null) {
            builder.trustManager(keys.trustedCa().toFile());
        }
        SslContext context = builder.build();
        if (context instanceof ReferenceCountedOpenSslContext openSsl) {
            openSsl.setBioNonApplicationBufferSize(NON_APPLICATION_BIO_BYTES);
        }
        return context;
    }

    static SslProvider provider(TlsConfig.TlsProvider configured) {
        return switch (configured) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls.provider is openssl but OpenSSL cannot be loaded: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL_REFCNT;
            }
            case AUTO -> {
                if (OpenSsl.isAvailable()) {
                    yield SslProvider.OPENSSL_REFCNT;
                }
                log.info("OpenSSL unavailable ({}); using JDK TLS", String.valueOf(OpenSsl.unavailabilityCause()));
                yield SslProvider.JDK;
            }
        };
    }
}
