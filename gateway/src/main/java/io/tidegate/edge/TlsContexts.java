package io.tidegate.edge;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
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
 */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

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
        return builder.build();
    }

    static SslProvider provider(TlsConfig.TlsProvider configured) {
        return switch (configured) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls.provider is openssl but OpenSSL cannot be loaded: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> {
                if (OpenSsl.isAvailable()) {
                    yield SslProvider.OPENSSL;
                }
                log.info("OpenSSL unavailable ({}); using JDK TLS", String.valueOf(OpenSsl.unavailabilityCause()));
                yield SslProvider.JDK;
            }
        };
    }
}
