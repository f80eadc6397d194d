package io.tidegate.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The HiveMQ MQTT client, MQTT 5, over mutual TLS. {@link #publishAll} sends everything at once
 * and lets the client's flow control (our Receive Maximum) pace it.
 */
@SuppressWarnings("try")
final class HiveMqClient implements DeviceClient {

    private final String clientId;
    private final Mqtt5AsyncClient client;

    HiveMqClient(String clientId, int port, ClientTls tls) {
        this.clientId = clientId;
        this.client = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost("localhost")
                .serverPort(port)
                .sslConfig().keyManagerFactory(tls.keyManagers()).trustManagerFactory(tls.trustManagers()).applySslConfig()
                .buildAsync();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void connect() throws Exception {
        client.connect().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void publish(int seq) throws Exception {
        check(send(DeviceClient.topic(clientId), seq).get(10, TimeUnit.SECONDS));
    }

    @Override
    public void publishAll(int first, int last) throws Exception {
        List<CompletableFuture<Mqtt5PublishResult>> results = new ArrayList<>();
        for (int seq = first; seq <= last; seq++) {
            results.add(send(DeviceClient.topic(clientId), seq));
        }
        for (CompletableFuture<Mqtt5PublishResult> result : results) {
            check(result.get(30, TimeUnit.SECONDS));
        }
    }

    /** Publishes to any topic and returns the PUBACK reason code. */
    Mqtt5PubAckReasonCode publishTo(String topic, int seq) throws Exception {
        try {
            Mqtt5PublishResult result = send(topic, seq).get(10, TimeUnit.SECONDS);
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    private CompletableFuture<Mqtt5PublishResult> send(String topic, int seq) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(DeviceClient.payload(seq)).send();
    }

    private static void check(Mqtt5PublishResult result) throws Exception {
        if (result.getError().isPresent()) {
            throw new Exception("publish failed", result.getError().get());
        }
        Mqtt5PubAckReasonCode code = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        if (code.isError()) {
            throw new Exception("PUBACK " + code);
        }
    }

    @Override
    public void close() throws Exception {
        if (client.getState().isConnected()) {
            client.disconnect().get(5, TimeUnit.SECONDS);
        }
    }
}
