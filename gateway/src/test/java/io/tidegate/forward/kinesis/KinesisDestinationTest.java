package io.tidegate.forward.kinesis;

import io.tidegate.config.KinesisConfig;
import io.tidegate.forward.WriteResult;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.tidegate.forward.kinesis.RecordPackerTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** How PutRecords answers become per-message outcomes, against a scripted client. */
class KinesisDestinationTest {

    @Test
    void failedRecordsMapToThrottledOrRetriableAndTheRestIsBilled() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> PutRecordsResponse.builder().failedRecordCount(2)
                .records(ok(), failed("ProvisionedThroughputExceededException"), failed("InternalFailure"), ok())
                .build());
        KinesisDestination destination = new KinesisDestination(client, null, new KinesisConfig("s", "clientid", false, 0));
        String big = "z".repeat(30 * 1024);

        WriteResult result = destination.write(List.of(entry(0, "a", big), entry(1, "a", "x"), entry(2, "b", "y"),
                entry(3, "b", "w")));

        assertThat(outcomes(result)).containsExactly(WriteResult.Outcome.ACCEPTED, WriteResult.Outcome.THROTTLED,
                WriteResult.Outcome.RETRIABLE, WriteResult.Outcome.ACCEPTED);
        assertThat(result.reason(2)).startsWith("InternalFailure");
        assertThat(result.billableUnits()).as("30 KiB record: 2 units, tiny record: 1").isEqualTo(3);
    }

    @Test
    void aFailedAggregatedRecordMakesAllItsMessagesRetriable() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> PutRecordsResponse.builder().failedRecordCount(1)
                .records(failed("InternalFailure"), ok()).build());
        KinesisDestination destination = new KinesisDestination(client, null, new KinesisConfig("s", "clientid", true, 51_200));

        WriteResult result = destination.write(List.of(entry(0, "a", "1"), entry(1, "b", "2"), entry(2, "a", "3")));

        assertThat(client.calls.get(0).records()).hasSize(2);
        assertThat(outcomes(result)).containsExactly(WriteResult.Outcome.RETRIABLE, WriteResult.Outcome.ACCEPTED,
                WriteResult.Outcome.RETRIABLE);
    }

    @Test
    void aThrottledCallThrottlesEveryMessage() throws Exception {
        ScriptedClient client = new ScriptedClient(request -> {
            throw (KinesisException) KinesisException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("ProvisionedThroughputExceededException").build()).build();
        });
        KinesisDestination destination = new KinesisDestination(client, null, new KinesisConfig("s", "clientid", false, 0));

        WriteResult result = destination.write(List.of(entry(0, "a", "1"), entry(1, "b", "2")));

        assertThat(outcomes(result)).containsOnly(WriteResult.Outcome.THROTTLED);
    }

    private static PutRecordsResultEntry ok() {
        return PutRecordsResultEntry.builder().sequenceNumber("1").shardId("shardId-000000000000").build();
    }

    private static PutRecordsResultEntry failed(String code) {
        return PutRecordsResultEntry.builder().errorCode(code).errorMessage("injected").build();
    }

    private static List<WriteResult.Outcome> outcomes(WriteResult result) {
        List<WriteResult.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            outcomes.add(result.outcome(i));
        }
        return outcomes;
    }

    /** An asynchronous Kinesis client whose PutRecords answers come from the test. */
    private static final class ScriptedClient implements KinesisAsyncClient {
        final List<PutRecordsRequest> calls = new ArrayList<>();
        private final Function<PutRecordsRequest, PutRecordsResponse> answer;

        ScriptedClient(Function<PutRecordsRequest, PutRecordsResponse> answer) {
            this.answer = answer;
        }

        @Override
        public java.util.concurrent.CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
            calls.add(request);
            try {
                return java.util.concurrent.CompletableFuture.completedFuture(answer.apply(request));
            } catch (RuntimeException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }
}
