package io.tidegate.loadgen.client;

import io.tidegate.security.certs.CertificateAuthority;
import io.tidegate.security.certs.IssuedCertificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presents a different client certificate on each connection from one shared TLS context: the
 * certificate of the device the engine was {@link #register registered} for, issued by the device CA
 * (CN = device id) when the broker asks for it during the handshake. Nothing is kept after the
 * handshake, so a fleet of 100,000 devices does not hold 100,000 certificates or TLS contexts.
 */
final class DeviceKeyManager extends X509ExtendedKeyManager {

    private static final Duration VALIDITY = Duration.ofDays(2);

    private final CertificateAuthority ca;
    private final Map<SSLEngine, String> deviceByEngine = new ConcurrentHashMap<>();
    /** Issued certificates between the broker's request and the handshake's end, by device id (the alias). */
    private final Map<String, IssuedCertificate> issued = new ConcurrentHashMap<>();

    DeviceKeyManager(CertificateAuthority ca) {
        this.ca = ca;
    }

    /**
     * Issues the device's certificate now, on the caller's thread (the connect ramp), so the cost
     * of key generation and signing stays out of the event loops and out of the connect latency:
     * a real device has its certificate before it connects.
     */
    void prepare(String deviceId) {
        issued.computeIfAbsent(deviceId, d -> ca.issueClient(d, VALIDITY));
    }

    void register(SSLEngine engine, String deviceId) {
        deviceByEngine.put(engine, deviceId);
    }

    /** Drops what was kept for the engine's handshake; call when it completed or failed, and on close. */
    void forget(SSLEngine engine) {
        String device = deviceByEngine.remove(engine);
        if (device != null) {
            issued.remove(device);
        }
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        String device = deviceByEngine.get(engine);
        if (device == null) {
            return null;
        }
        // Device ids are unique in a run, one connection each, so the id serves as the alias.
        issued.computeIfAbsent(device, d -> ca.issueClient(d, VALIDITY));
        return device;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        IssuedCertificate certificate = issued.get(alias);
        return certificate == null ? null : certificate.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        IssuedCertificate certificate = issued.get(alias);
        return certificate == null ? null : certificate.privateKey();
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
