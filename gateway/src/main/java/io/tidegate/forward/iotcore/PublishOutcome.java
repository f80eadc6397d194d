package io.tidegate.forward.iotcore;

import io.tidegate.forward.WriteResult;

/**
 * What became of one upstream publish, reported by the connection's event loop to the writing
 * forwarder thread.
 *
 * @param write    the write it belongs to (a stale outcome of an earlier write is ignored)
 * @param position the entry's position in that write
 * @param outcome  accepted, retriable, throttled or rejected
 * @param reason   why not accepted, or null
 */
record PublishOutcome(long write, int position, WriteResult.Outcome outcome, String reason) {

    /** Maps an MQTT 5 PUBACK reason code: permanent refusals are rejected, the rest tried again. */
    static PublishOutcome fromReasonCode(long write, int position, int code) {
        return switch (code) {
            case 0x00, 0x10 -> new PublishOutcome(write, position, WriteResult.Outcome.ACCEPTED, null);
            case 0x97 -> new PublishOutcome(write, position, WriteResult.Outcome.THROTTLED, describe(code));
            case 0x87, 0x90, 0x95, 0x99 -> new PublishOutcome(write, position, WriteResult.Outcome.REJECTED,
                    describe(code));
            default -> new PublishOutcome(write, position, WriteResult.Outcome.RETRIABLE, describe(code));
        };
    }

    static String describe(int code) {
        String name = switch (code) {
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "reason code";
        };
        return String.format("PUBACK 0x%02X (%s)", code, name);
    }
}
