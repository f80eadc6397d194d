package io.tidegate.it;

import io.tidegate.security.certs.DeviceFiles;
import io.tidegate.security.certs.PemFiles;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A client's TLS material from PEM files, in the shapes the Java MQTT clients take. */
record ClientTls(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers) {

    private static final char[] PASSWORD = "test".toCharArray();

    /** Trusts {@code caCert}; presents {@code device}'s certificate (none when null). */
    static ClientTls of(Path caCert, DeviceFiles device) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<X509Certificate> cas = PemFiles.readCertificates(caCert);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (device != null) {
            PrivateKey key = PemFiles.readPrivateKey(device.privateKey());
            List<X509Certificate> chain = PemFiles.readCertificates(device.certificate());
            keys.setKeyEntry("device", key, PASSWORD, chain.toArray(new X509Certificate[0]));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        return new ClientTls(kmf, tmf);
    }

    SSLContext sslContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
