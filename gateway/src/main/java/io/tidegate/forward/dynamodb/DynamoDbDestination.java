package io.tidegate.forward.dynamodb;

import io.tidegate.config.AwsConfig;
import io.tidegate.config.DynamoDbConfig;
import io.tidegate.forward.Destination;
import io.tidegate.forward.DestinationLimits;
import io.tidegate.forward.WriteResult;
import io.tidegate.forward.aws.AwsClientSettings;
import io.tidegate.forward.aws.AwsErrors;
import io.tidegate.forward.aws.AwsHttp;
import io.tidegate.outbox.OutboxEntry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DynamoDB through BatchWriteItem, one item per message (see {@link ItemMapper}). Batches stay
 * within the call's limits (25 items, 16 MiB; items over 400 KB are dead-lettered by the
 * forwarder). Items the service returns in {@code UnprocessedItems} are retried (as throttled);
 * a call never holds two writes to one key: the pair of partition and sort key values each item
 * was mapped to (rule templates included), so a later write to the same key goes in the next call.
 * A {@code ValidationException} on a call of several items is narrowed down by writing them one by
 * one, so only the item at fault is dead-lettered.
 *
 * <p>The client is the asynchronous one on the gateway's shared HTTP client, so a destination can
 * have several calls under way ({@code batch.maxInFlight}) without a thread each.
 */
public final class DynamoDbDestination implements Destination {

    static final int MAX_ITEMS = 25;
    static final long MAX_CALL_BYTES = 16L * 1024 * 1024;
    static final long MAX_ITEM_BYTES = 400L * 1024;
    /** A write request unit covers 1 KB of one item, rounded up. */
    static final long WRITE_UNIT_BYTES = 1024;

    private final DynamoDbAsyncClient client;
    /** The HTTP client when this destination made its own (closed with it), else null. */
    private final AwsHttp ownHttp;
    private final String table;
    private final ItemMapper mapper;

    /** On the gateway's shared HTTP client. */
    public DynamoDbDestination(AwsConfig aws, DynamoDbConfig config, AwsHttp http) {
        this(aws, config, http, false);
    }

    /** With an HTTP client of its own (tools and benchmarks that run one destination). */
    public DynamoDbDestination(AwsConfig aws, DynamoDbConfig config) {
        this(aws, config, AwsHttp.create(), true);
    }

    private DynamoDbDestination(AwsConfig aws, DynamoDbConfig config, AwsHttp http, boolean ownsHttp) {
        this(AwsClientSettings.applyAsync(DynamoDbAsyncClient.builder(), aws, http).build(), ownsHttp ? http : null,
                config);
    }

    DynamoDbDestination(DynamoDbAsyncClient client, AwsHttp ownHttp, DynamoDbConfig config) {
        this.client = client;
        this.ownHttp = ownHttp;
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
    public WriteResult write(List<OutboxEntry> batch) throws Exception {
        return AwsErrors.await(writeAsync(batch));
    }

    @Override
    public CompletableFuture<WriteResult> writeAsync(List<OutboxEntry> batch) {
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
                // BatchWriteItem refuses two writes to one key: the later one goes in the next call,
                // at once (no failure, no backoff), so the item ends up holding the later message.
                result.defer(i);
            } else {
                items.add(item);
                positions.add(i);
            }
        }
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        return batchWrite(items).handle((unprocessed, error) -> {
            if (error == null) {
                unprocessed.forEach(item -> result.throttle(positionOfKey.get(keyOf(item)), "UnprocessedItems"));
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = AwsErrors.unwrap(error);
            if (cause instanceof AwsServiceException e && AwsErrors.isThrottling(e)) {
                positions.forEach(position -> result.throttle(position, AwsErrors.code(e)));
                return CompletableFuture.completedFuture(result);
            }
            if (cause instanceof AwsServiceException e && AwsErrors.isValidation(e)) {
                return writeOneByOne(items, positions, result, 0);
            }
            return CompletableFuture.<WriteResult>failedFuture(cause);
        }).thenCompose(written -> written).thenApply(written ->
                written.billableUnits(acceptedUnits(items, positions, written)));
    }

    /** Writes {@code items}; completes with those the service left unprocessed. */
    private CompletableFuture<List<Map<String, AttributeValue>>> batchWrite(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> requests = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        return client.batchWriteItem(BatchWriteItemRequest.builder().requestItems(Map.of(table, requests)).build())
                .thenApply(response -> response.unprocessedItems().getOrDefault(table, List.of()).stream()
                        .map(request -> request.putRequest().item()).toList());
    }

    /**
     * After a validation error of the whole call: each item alone, one after the other, so only
     * the invalid ones are rejected.
     */
    private CompletableFuture<WriteResult> writeOneByOne(List<Map<String, AttributeValue>> items,
                                                         List<Integer> positions, WriteResult result, int next) {
        if (next == items.size()) {
            return CompletableFuture.completedFuture(result);
        }
        int position = positions.get(next);
        return batchWrite(List.of(items.get(next))).handle((unprocessed, error) -> {
            if (error == null) {
                if (!unprocessed.isEmpty()) {
                    result.throttle(position, "UnprocessedItems");
                }
                return null;
            }
            Throwable cause = AwsErrors.unwrap(error);
            if (cause instanceof AwsServiceException e && AwsErrors.isValidation(e)) {
                result.reject(position, AwsErrors.code(e) + ": " + e.awsErrorDetails().errorMessage());
            } else if (cause instanceof AwsServiceException e && AwsErrors.isThrottling(e)) {
                result.throttle(position, AwsErrors.code(e));
            } else {
                result.retry(position, cause instanceof AwsServiceException e ? AwsErrors.code(e) : cause.toString());
            }
            return null;
        }).thenCompose(ignored -> writeOneByOne(items, positions, result, next + 1));
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
        if (ownHttp != null) {
            ownHttp.close();
        }
    }
}
