package io.tidegate.it;

/** A device publishing numbered QoS 1 messages through one of the real MQTT client libraries. */
@SuppressWarnings("try") // close() may wait for the broker, and so may be interrupted
interface DeviceClient extends AutoCloseable {

    String clientId();

    void connect() throws Exception;

    /** Publishes {@code {"seq":seq}} to {@code dt/<clientId>/telemetry}, returning once it is acknowledged. */
    void publish(int seq) throws Exception;

    /** Publishes {@code first..last} without waiting for each acknowledgement; returns when all are acknowledged. */
    default void publishAll(int first, int last) throws Exception {
        for (int seq = first; seq <= last; seq++) {
            publish(seq);
        }
    }

    @Override
    void close() throws Exception;

    static String topic(String clientId) {
        return "dt/" + clientId + "/telemetry";
    }

    static byte[] payload(int seq) {
        return ("{\"seq\":" + seq + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
