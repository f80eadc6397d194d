package io.tidegate.config;

/** The spellings of a partition key taken from the message rather than given literally. */
public final class KeySource {

    /** The publisher's MQTT client id. */
    public static final String CLIENT_ID = "clientid";
    /** The message's MQTT topic. */
    public static final String TOPIC = "topic";

    private KeySource() {
    }
}
