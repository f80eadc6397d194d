package io.tidegate.loadgen.scenario;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Where to connect: {@code mqtt://HOST[:PORT]} (plain, default port 1883) or {@code mqtts://HOST[:PORT]}
 * (TLS, default 8883); {@code tcp://} and {@code ssl://} are accepted as Paho spells them.
 */
public record BrokerAddress(String host, int port, boolean tls) {

    public static BrokerAddress parse(String key, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ScenarioException(key + ": '" + url + "' is not a URL; expected mqtt://HOST:PORT or mqtts://HOST:PORT");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean tls = switch (scheme) {
            case "mqtt", "tcp" -> false;
            case "mqtts", "ssl", "tls" -> true;
            default -> throw new ScenarioException(key + ": scheme of '" + url + "' must be mqtt:// or mqtts://");
        };
        if (uri.getHost() == null) {
            throw new ScenarioException(key + ": '" + url + "' has no host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : (tls ? 8883 : 1883);
        return new BrokerAddress(uri.getHost(), port, tls);
    }

    /** True for 127.0.0.0/8 and ::1, where connections can be spread over 127.0.0.x source addresses. */
    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return (tls ? "mqtts://" : "mqtt://") + host + ":" + port;
    }
}
