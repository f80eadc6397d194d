package io.tidegate.mqtt;

import io.tidegate.outbox.MessageProperties;

/**
 * A client's will message, published when its connection ends without a normal DISCONNECT.
 *
 * @param topic        will topic (authorized at CONNECT)
 * @param payload      will payload
 * @param qos          will QoS
 * @param retain       will retain flag
 * @param properties   MQTT 5 will properties worth keeping
 * @param delaySeconds MQTT 5 Will Delay Interval: how long after the connection ended the will waits
 *                     for the session to be resumed (3.1.3.2.2); 0 publishes it at once
 */
record Will(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties, long delaySeconds) {

    Will(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties) {
        this(topic, payload, qos, retain, properties, 0);
    }
}
