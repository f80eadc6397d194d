package io.tidegate.forward.dynamodb;

import io.tidegate.config.DynamoDbConfig;
import io.tidegate.forward.WriteResult;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** How BatchWriteItem answers become per-entry outcomes, against a scripted client. */
class DynamoDbDestinationTest {

    private static final DynamoDbConfig LITERAL_KEY = new DynamoDbConfig("t", "fleet", "pk", "sk", 0L, "ttl");

    @Test
    void unprocessedItemsAreThrottledAndTheRestAccepted() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> {
            List<WriteRequest> all = request.requestItems().get("t");
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of("t", List.of(all.get(1)))).build();
        });
        DynamoDbDestination destination = new DynamoDbDestination(client, null, LITERAL_KEY);

        WriteResult result = destination.write(List.of(entry(0, "{}"), entry(1, "{}"), entry(2, "{}")));

        assertThat(outcomes(result)).containsExactly(WriteResult.Outcome.ACCEPTED, WriteResult.Outcome.THROTTLED,
                WriteResult.Outcome.ACCEPTED);
        assertThat(result.reason(1)).isEqualTo("UnprocessedItems");
        assertThat(result.billableUnits()).isEqualTo(2);
    }

    @Test
    void twoWritesToOneKeyNeverShareACall() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> BatchWriteItemResponse.builder().build());
        DynamoDbDestination destination = new DynamoDbDestination(client, null, LITERAL_KEY);

        WriteResult result = destination.write(List.of(entry(0, "{}"), entry(0, "{}"), entry(1, "{}")));

        assertThat(client.calls).hasSize(1);
        assertThat(client.calls.get(0).requestItems().get("t")).hasSize(2);
        assertThat(outcomes(result)).as("the second write to the key waits for the next call, with no backoff")
                .containsExactly(WriteResult.Outcome.ACCEPTED, WriteResult.Outcome.DEFERRED, WriteResult.Outcome.ACCEPTED);
    }

    @Test
    void oneKeyIsThePartitionAndSortKeyPairTheRuleRendered() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> BatchWriteItemResponse.builder().build());
        DynamoDbDestination destination = new DynamoDbDestination(client, null, LITERAL_KEY);

        // Distinct messages, but 0 and 1 share a rendered sort key; 2 has 0's sort key under another
        // partition key; 3 is message 0 again under a sort key of its own.
        WriteResult result = destination.write(List.of(
                entry(0, "{}", Map.of("sortKey", "a")),
                entry(1, "{}", Map.of("sortKey", "a")),
                entry(2, "{}", Map.of("partitionKey", "other", "sortKey", "a")),
                entry(0, "{}", Map.of("sortKey", "b"))));

        assertThat(outcomes(result)).containsExactly(WriteResult.Outcome.ACCEPTED, WriteResult.Outcome.DEFERRED,
                WriteResult.Outcome.ACCEPTED, WriteResult.Outcome.ACCEPTED);
        assertThat(client.calls.get(0).requestItems().get("t"))
                .extracting(w -> w.putRequest().item().get("pk").s() + "/" + w.putRequest().item().get("sk").s())
                .containsExactly("fleet/a", "other/a", "fleet/b");
    }

    @Test
    void unprocessedItemsAreMatchedByTheirRenderedKey() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> {
            List<WriteRequest> all = request.requestItems().get("t");
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of("t", List.of(all.get(1)))).build();
        });
        DynamoDbDestination destination = new DynamoDbDestination(client, null, LITERAL_KEY);

        // One message id (replayed, say) under two rendered sort keys: two items, told apart by key.
        WriteResult result = destination.write(List.of(entry(0, "{}", Map.of("sortKey", "x")),
                entry(0, "{}", Map.of("sortKey", "y"))));

        assertThat(client.calls.get(0).requestItems().get("t")).hasSize(2);
        assertThat(outcomes(result)).containsExactly(WriteResult.Outcome.ACCEPTED, WriteResult.Outcome.THROTTLED);
    }

    @Test
    void aValidationErrorIsNarrowedDownToTheItemAtFault() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> {
            List<WriteRequest> items = request.requestItems().get("t");
            boolean bad = items.stream().anyMatch(w -> w.putRequest().item().containsKey("bad"));
            if (bad) {
                throw (DynamoDbException) DynamoDbException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException")
                                .errorMessage("Item size has exceeded the maximum allowed size").build()).build();
            }
            return BatchWriteItemResponse.builder().build();
        });
        DynamoDbDestination destination = new DynamoDbDestination(client, null, LITERAL_KEY);

        WriteResult result = destination.write(List.of(entry(0, "{}"), entry(1, "{\"bad\":1}"), entry(2, "{}")));

        assertThat(client.calls).hasSize(4);
        assertThat(outcomes(result)).containsExactly(WriteResult.Outcome.ACCEPTED, WriteResult.Outcome.REJECTED,
                WriteResult.Outcome.ACCEPTED);
        assertThat(result.reason(1)).isEqualTo("ValidationException: Item size has exceeded the maximum allowed size");
    }

    @Test
    void aThrottledCallThrottlesEveryItemOfIt() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> {
            throw (DynamoDbException) DynamoDbException.builder().statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        });
        DynamoDbDestination destination = new DynamoDbDestination(client, null, LITERAL_KEY);

        WriteResult result = destination.write(List.of(entry(0, "{}"), entry(1, "{}")));

        assertThat(outcomes(result)).containsOnly(WriteResult.Outcome.THROTTLED);
        assertThat(result.billableUnits()).isZero();
    }

    private static List<WriteResult.Outcome> outcomes(WriteResult result) {
        List<WriteResult.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            outcomes.add(result.outcome(i));
        }
        return outcomes;
    }

    private static OutboxEntry entry(int id, String payload) {
        return entry(id, payload, Map.of());
    }

    /** With the rendered settings of a rule action (in a fixed order: partitionKey, then sortKey). */
    private static OutboxEntry entry(int id, String payload, Map<String, String> settings) {
        List<Map.Entry<String, String>> ordered = new ArrayList<>(new TreeMap<>(settings).entrySet());
        return new OutboxEntry(id, new UUID(7, id), 1_700_000_000_000L, "dev", "dt/dev/x", 1, false,
                MessageProperties.NONE, payload.getBytes(StandardCharsets.UTF_8), 0, ordered);
    }

    /** An asynchronous DynamoDB client whose BatchWriteItem answers come from the test. */
    private static final class ScriptedClient implements DynamoDbAsyncClient {
        final List<BatchWriteItemRequest> calls = new ArrayList<>();
        private final Function<BatchWriteItemRequest, BatchWriteItemResponse> answer;

        ScriptedClient(Function<BatchWriteItemRequest, BatchWriteItemResponse> answer) {
            this.answer = answer;
        }

        @Override
        public java.util.concurrent.CompletableFuture<BatchWriteItemResponse> batchWriteItem(BatchWriteItemRequest request) {
            calls.add(request);
            try {
                return java.util.concurrent.CompletableFuture.completedFuture(answer.apply(request));
            } catch (RuntimeException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
