package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An MQTT 5 client of the stand-in with its own certificate: the cloud side of the test. */
final class UpstreamReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttAsyncClient client;
    private final List<MqttMessage> messages = new CopyOnWriteArrayList<>();
    private final List<String> topics = new CopyOnWriteArrayList<>();

    UpstreamReader(MosquittoIotCore broker, String filter, boolean cleanStart) throws Exception {
        client = new MqttAsyncClient("ssl://localhost:" + broker.port(), "reader-" + filter.hashCode(),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(ClientTls.of(broker.caCert(), broker.client("reader")).sslContext().getSocketFactory());
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(cleanStart ? 0L : 3600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        options.setReceiveMaximum(1000);
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                topics.add(topic);
                messages.add(message);
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
            }
        });
        client.connect(options).waitForCompletion(10_000);
        IMqttToken subscribed = client.subscribe(filter, 1);
        subscribed.waitForCompletion(10_000);
    }

    void publish(String topic, String payload) throws Exception {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(topic, message).waitForCompletion(10_000);
    }

    int count() {
        return messages.size();
    }

    long distinct() {
        return messages.stream().map(m -> new String(m.getPayload(), StandardCharsets.UTF_8)).distinct().count();
    }

    List<String> topics() {
        return topics;
    }

    List<String> payloads() {
        return messages.stream().map(m -> new String(m.getPayload(), StandardCharsets.UTF_8)).toList();
    }

    Map<String, List<Integer>> sequencesByDevice() throws Exception {
        Map<String, List<Integer>> byDevice = new LinkedHashMap<>();
        for (MqttMessage message : messages) {
            JsonNode json = JSON.readTree(message.getPayload());
            byDevice.computeIfAbsent(json.get("device").asText(), d -> new ArrayList<>()).add(json.get("seq").asInt());
        }
        return byDevice;
    }

    @Override
    public void close() throws Exception {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5_000);
        }
        client.close(true);
    }
}
