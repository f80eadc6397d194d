package io.tidegate.mqtt;

import io.tidegate.outbox.MessageProperties;

/**
 * A client's will message, published when its connection ends without a normal DISCONNECT.
 *
 * @param topic      will topic (authorized at CONNECT)
 * @param payload    will payload
 * @param qos        will QoS
 * @param retain     will retain flag
 * @param properties MQTT 5 will properties worth keeping
 */
record Will(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties) {
}
