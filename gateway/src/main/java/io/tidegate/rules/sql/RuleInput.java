package io.tidegate.rules.sql;

import java.util.List;
import java.util.Map;

/**
 * The message a rule evaluates: what the SQL functions and the payload paths read. Implemented
 * by a reusable adapter on the hot path ({@code io.tidegate.rules.MessageInput}) and by
 * {@link RuleMessage} for tools and tests.
 *
 * <p>The MQTT 5 properties have defaults for MQTT 3.1.1 messages, which carry none.
 */
public interface RuleInput {

    /** The topic the message was published to. */
    String topic();

    /** The publishing client's id; {@code null} makes {@code clientid()} Undefined. */
    String clientId();

    /** The authenticated identity (certificate CN or SAN), or {@code null} for anonymous clients. */
    String principal();

    /** When the gateway received the message, epoch milliseconds: what {@code timestamp()} returns. */
    long timestampMillis();

    int qos();

    /** The array holding the payload; only {@code [payloadOffset(), payloadOffset() + payloadLength())} is the message. */
    byte[] payload();

    int payloadOffset();

    int payloadLength();

    /** MQTT 5 Payload Format Indicator = 1 (UTF-8 data). */
    default boolean payloadFormatUtf8() {
        return false;
    }

    /** MQTT 5 Content Type, or {@code null}. */
    default String contentType() {
        return null;
    }

    /** MQTT 5 Response Topic, or {@code null}. */
    default String responseTopic() {
        return null;
    }

    /** MQTT 5 Correlation Data, or {@code null}. */
    default byte[] correlationData() {
        return null;
    }

    /** MQTT 5 User Properties in the order sent; names may repeat. */
    default List<Map.Entry<String, String>> userProperties() {
        return List.of();
    }
}
