package io.tidegate.forward.kinesis;

import io.tidegate.config.AwsConfig;
import io.tidegate.config.KinesisConfig;
import io.tidegate.forward.aws.AwsClientSettings;
import io.tidegate.forward.aws.AwsHttp;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real {@link KinesisDestination} whose client counts the records of its PutRecords calls: with
 * aggregation a record holds many messages, and neither the forwarder's meters nor the billed
 * units (25 KB each) tell how many records went out.
 *
 * <p>In package {@code io.tidegate.forward.kinesis} for the destination's package-private
 * constructor that takes a client; this works on the class path (the benchmarks jar is not modular).
 */
public final class CountingKinesis {

    private CountingKinesis() {
    }

    /** The destination as the gateway builds it from {@code aws}, counting sent records into {@code records}. */
    public static KinesisDestination destination(AwsConfig aws, KinesisConfig kinesis, LongAdder records) {
        AwsHttp http = AwsHttp.create();
        KinesisAsyncClient client = AwsClientSettings.applyAsync(KinesisAsyncClient.builder(), aws, http).build();
        return new KinesisDestination(new Counting(client, records), http, kinesis);
    }

    /** Passes PutRecords through (the only call the destination makes) and counts its records. */
    private record Counting(KinesisAsyncClient client, LongAdder records) implements KinesisAsyncClient {
        @Override
        public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
            records.add(request.records().size());
            return client.putRecords(request);
        }

        @Override
        public String serviceName() {
            return client.serviceName();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
