package io.tidegate.it;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho, MQTT 3.1.1, synchronous client over mutual TLS. */
final class PahoV3Client implements DeviceClient {

    private final String clientId;
    private final MqttClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();

    PahoV3Client(String clientId, int port, ClientTls tls) throws Exception {
        this.clientId = clientId;
        this.client = new MqttClient("ssl://localhost:" + port, clientId, new MemoryPersistence());
        options.setSocketFactory(tls.sslContext().getSocketFactory());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        // Paho frees an in-flight slot on its own thread slightly after completing the token: with
        // fast acknowledgements the default of 10 trips "Too many publishes in progress" (32202)
        // although this synchronous client never has more than one publish outstanding.
        options.setMaxInflight(1000);
        client.setTimeToWait(10_000);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void connect() throws MqttException {
        client.connect(options);
    }

    @Override
    public void publish(int seq) throws MqttException {
        client.publish(DeviceClient.topic(clientId), DeviceClient.payload(seq), 1, false);
    }

    /** Publishes to any topic with QoS 1 and waits for the PUBACK. */
    void publishTo(String topic, int seq) throws MqttException {
        client.publish(topic, DeviceClient.payload(seq), 1, false);
    }

    /** Publishes {@code payload} to any topic with QoS 1 and waits for the PUBACK. */
    void publishTo(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
