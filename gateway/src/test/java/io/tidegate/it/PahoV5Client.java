package io.tidegate.it;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.util.ArrayDeque;

/** Eclipse Paho, MQTT 5, asynchronous client over mutual TLS, publishing with a window of acks outstanding. */
final class PahoV5Client implements DeviceClient {

    private static final int WINDOW = 16;

    private final String clientId;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();

    PahoV5Client(String clientId, int port, ClientTls tls) throws Exception {
        this.clientId = clientId;
        this.client = new MqttAsyncClient("ssl://localhost:" + port, clientId, new MemoryPersistence());
        options.setSocketFactory(tls.sslContext().getSocketFactory());
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void connect() throws MqttException {
        client.connect(options).waitForCompletion(10_000);
    }

    @Override
    public void publish(int seq) throws MqttException {
        IMqttToken token = client.publish(DeviceClient.topic(clientId), message(seq));
        token.waitForCompletion(10_000);
        checkReason(token);
    }

    /** Pipelined: up to {@link #WINDOW} publishes in flight, so ordering inside the gateway is exercised. */
    @Override
    public void publishAll(int first, int last) throws MqttException {
        ArrayDeque<IMqttToken> inFlight = new ArrayDeque<>();
        for (int seq = first; seq <= last; seq++) {
            if (inFlight.size() == WINDOW) {
                IMqttToken done = inFlight.poll();
                done.waitForCompletion(10_000);
                checkReason(done);
            }
            inFlight.add(client.publish(DeviceClient.topic(clientId), message(seq)));
        }
        for (IMqttToken token : inFlight) {
            token.waitForCompletion(10_000);
            checkReason(token);
        }
    }

    private static MqttMessage message(int seq) {
        MqttMessage message = new MqttMessage(DeviceClient.payload(seq));
        message.setQos(1);
        return message;
    }

    /** Paho 5 completes a token also for a PUBACK with an error reason code: check it. */
    private static void checkReason(IMqttToken token) throws MqttException {
        int[] codes = token.getReasonCodes();
        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            throw new MqttException(codes[0]);
        }
    }

    /** Publishes to any topic and returns the PUBACK reason code. */
    int publishTo(String topic, int seq) throws MqttException {
        IMqttToken token = client.publish(topic, message(seq));
        token.waitForCompletion(10_000);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5_000);
        }
        client.close(true);
    }
}
