package io.tidegate.mqtt;

/**
 * Checks on strings netty-codec-mqtt decoded. The codec decodes ill-formed UTF-8 leniently, to
 * U+FFFD, where the specification makes the packet malformed [MQTT-1.5.4-1]; U+0000 is never
 * allowed either [MQTT-1.5.4-2].
 */
final class DecodedStrings {

    private DecodedStrings() {
    }

    /** Whether {@code value} came from ill-formed UTF-8 or holds U+0000; null is not ill-formed. */
    static boolean illFormed(String value) {
        return value != null && (value.indexOf('\uFFFD') >= 0 || value.indexOf('\u0000') >= 0);
    }
}
