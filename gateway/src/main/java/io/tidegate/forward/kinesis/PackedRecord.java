package io.tidegate.forward.kinesis;

/**
 * One Kinesis record to put and the batch positions of the messages it carries (one, or many when
 * aggregated): the record's fate is theirs. {@code explicitHashKey} routes it when not null.
 */
record PackedRecord(String partitionKey, String explicitHashKey, byte[] data, int[] positions) {
}
