package io.tidegate.it;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Devices {@code <prefix>-0..n-1} publishing numbered QoS 1 JSON messages
 * ({@link #payload(String, int)}) over the gateway's plain listener with Eclipse Paho, many in
 * flight per device (order per device is kept by MQTT), all devices at once.
 */
final class Fleet {

    private Fleet() {
    }

    static String clientId(String prefix, int device) {
        return prefix + "-" + device;
    }

    /** A JSON object with a number, a string, a boolean, a nested map and a list: every mapped kind. */
    static byte[] payload(String clientId, int seq) {
        return ("{\"device\":\"" + clientId + "\",\"seq\":" + seq + ",\"temp\":21.5,\"ok\":true,"
                + "\"meta\":{\"fw\":\"1.2.3\",\"tags\":[\"a\",7]}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes {@code messages} per device from {@code devices} devices and returns when all are acknowledged. */
    static void publish(int port, String prefix, int devices, int messages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(devices, 8));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                String clientId = clientId(prefix, d);
                done.add(pool.submit(() -> {
                    publishFrom(port, clientId, messages);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void publishFrom(int port, String clientId, int messages) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setMaxInflight(100);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(10_000);
        try {
            List<IMqttDeliveryToken> window = new ArrayList<>();
            for (int seq = 0; seq < messages; seq++) {
                window.add(publishWhenASlotIsFree(client, clientId, seq));
                if (window.size() == 50) {
                    for (IMqttDeliveryToken token : window) {
                        token.waitForCompletion(30_000);
                    }
                    window.clear();
                }
            }
            for (IMqttDeliveryToken token : window) {
                token.waitForCompletion(30_000);
            }
        } finally {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    /** Paho frees an in-flight slot a little after the PUBACK completes the token: wait for it. */
    private static IMqttDeliveryToken publishWhenASlotIsFree(MqttAsyncClient client, String clientId, int seq)
            throws Exception {
        while (true) {
            try {
                return client.publish("dt/" + clientId + "/telemetry", payload(clientId, seq), 1, false);
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    /** Publishes one message with {@code payload} from {@code clientId} and waits for the PUBACK. */
    static void publishOne(int port, String clientId, byte[] payload) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.connect().waitForCompletion(10_000);
        try {
            client.publish("dt/" + clientId + "/telemetry", payload, 1, false).waitForCompletion(30_000);
        } finally {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }
}
