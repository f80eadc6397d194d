package io.tidegate.forward.dynamodb;

import io.tidegate.config.AwsConfig;
import io.tidegate.config.DynamoDbConfig;
import io.tidegate.forward.Destination;
import io.tidegate.forward.DestinationLimits;
import io.tidegate.forward.WriteResult;
import io.tidegate.forward.aws.AwsClientSettings;
import io.tidegate.forward.aws.AwsErrors;
import io.tidegate.outbox.OutboxEntry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB through BatchWriteItem, one item per message (see {@link ItemMapper}). Batches stay
 * within the call's limits (25 items, 16 MiB; items over 400 KB are dead-lettered by the
 * forwarder). Items the service returns in {@code UnprocessedItems} are retried (as throttled);
 * a call never holds two writes to one key. A {@code ValidationException} on a call of several
 * items is narrowed down by writing them one by one, so only the item at fault is dead-lettered.
 *
 * <p>The client is the synchronous one, called from the forwarder's thread: one write is in
 * flight per destination anyway (strict order).
 */
public final class DynamoDbDestination implements Destination {

    static final int MAX_ITEMS = 25;
    static final long MAX_CALL_BYTES = 16L * 1024 * 1024;
    static final long MAX_ITEM_BYTES = 400L * 1024;
    /** A write request unit covers 1 KB of one item, rounded up. */
    static final long WRITE_UNIT_BYTES = 1024;

    private final DynamoDbClient client;
    private final String table;
    private final ItemMapper mapper;

    public DynamoDbDestination(AwsConfig aws, DynamoDbConfig config) {
        this(AwsClientSettings.apply(DynamoDbClient.builder(), aws).build(), config);
    }

    DynamoDbDestination(DynamoDbClient client, DynamoDbConfig config) {
        this.client = client;
        this.table = config.table();
        this.mapper = new ItemMapper(config);
    }

    @Override
    public DestinationLimits limits() {
        return new DestinationLimits(MAX_ITEMS, MAX_CALL_BYTES, MAX_ITEM_BYTES);
    }

    @Override
    public long sizeOf(OutboxEntry entry) {
        return ItemSize.of(mapper.map(entry));
    }

    @Override
    public String billableUnit() {
        return "dynamodb_write_request_units";
    }

    @Override
    public WriteResult write(List<OutboxEntry> batch) {
        WriteResult result = WriteResult.accepted(batch.size());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Map<List<AttributeValue>, Integer> positionOfKey = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Map<String, AttributeValue> item = mapper.map(batch.get(i));
            List<AttributeValue> key = keyOf(item);
            if (key.get(0).s().isEmpty()) {
                result.reject(i, "empty partition key; DynamoDB key values must not be empty");
            } else if (positionOfKey.putIfAbsent(key, i) != null) {
                // BatchWriteItem refuses two writes to one key: the later one goes in the next call.
                result.retry(i, "same key as an earlier item of this call");
            } else {
                items.add(item);
                positions.add(i);
            }
        }
        if (items.isEmpty()) {
            return result;
        }
        try {
            List<Map<String, AttributeValue>> unprocessed = batchWrite(items);
            unprocessed.forEach(item -> result.throttle(positionOfKey.get(keyOf(item)), "UnprocessedItems"));
        } catch (AwsServiceException e) {
            if (AwsErrors.isThrottling(e)) {
                positions.forEach(position -> result.throttle(position, AwsErrors.code(e)));
            } else if (AwsErrors.isValidation(e)) {
                writeOneByOne(items, positions, result);
            } else {
                throw e;
            }
        }
        return result.billableUnits(acceptedUnits(items, positions, result));
    }

    /** Writes {@code items}; returns those the service left unprocessed. */
    private List<Map<String, AttributeValue>> batchWrite(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> requests = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        BatchWriteItemResponse response = client.batchWriteItem(
                BatchWriteItemRequest.builder().requestItems(Map.of(table, requests)).build());
        List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(table, List.of());
        return unprocessed.stream().map(request -> request.putRequest().item()).toList();
    }

    private void writeOneByOne(List<Map<String, AttributeValue>> items, List<Integer> positions, WriteResult result) {
        for (int i = 0; i < items.size(); i++) {
            int position = positions.get(i);
            try {
                if (!batchWrite(List.of(items.get(i))).isEmpty()) {
                    result.throttle(position, "UnprocessedItems");
                }
            } catch (AwsServiceException e) {
                if (AwsErrors.isValidation(e)) {
                    result.reject(position, AwsErrors.code(e) + ": " + e.awsErrorDetails().errorMessage());
                } else if (AwsErrors.isThrottling(e)) {
                    result.throttle(position, AwsErrors.code(e));
                } else {
                    result.retry(position, AwsErrors.code(e));
                }
            }
        }
    }

    private static long acceptedUnits(List<Map<String, AttributeValue>> items, List<Integer> positions,
                                      WriteResult result) {
        long units = 0;
        for (int i = 0; i < items.size(); i++) {
            if (result.outcome(positions.get(i)) == WriteResult.Outcome.ACCEPTED) {
                units += (ItemSize.of(items.get(i)) + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES;
            }
        }
        return units;
    }

    private List<AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return List.of(item.get(mapper.partitionKeyAttribute()), item.get(mapper.sortKeyAttribute()));
    }

    @Override
    public String describe() {
        return "dynamodb:" + table;
    }

    @Override
    public void close() {
        client.close();
    }
}
