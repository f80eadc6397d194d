package io.tidegate.forward.iotcore;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tidegate.config.IotCoreConfig;

import javax.net.ssl.SSLException;

/**
 * The client TLS context of the IoT Core connections: the gateway's certificate and key, the
 * configured CA bundle or the JDK's trust store, TLS 1.3/1.2, and on port 443 the ALPN protocol
 * {@code x-amzn-mqtt-ca} that IoT Core requires to speak MQTT there. The JDK provider is enough for
 * a handful of long-lived connections and has ALPN on every Java 17.
 */
final class UpstreamTls {

    static final String IOT_CORE_ALPN = "x-amzn-mqtt-ca";

    private UpstreamTls() {
    }

    static SslContext context(IotCoreConfig config) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .keyManager(config.certificate().toFile(), config.privateKey().toFile());
        if (config.caCertificate() != null) {
            builder.trustManager(config.caCertificate().toFile());
        }
        if (config.alpn()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, IOT_CORE_ALPN));
        }
        return builder.build();
    }
}
