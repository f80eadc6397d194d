package io.tidegate.loadgen.verify;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.file.Path;
import java.util.List;

/** Opens a source named {@code file:DIR}, {@code dynamodb:TABLE} or {@code kinesis:STREAM}. */
public final class VerifySources {

    private VerifySources() {
    }

    /** @throws IllegalArgumentException for an unknown kind or an empty name */
    public static VerifySource open(String spec, AwsClientSettings aws, Expectation expectation) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("--source must be file:DIR, dynamodb:TABLE or kinesis:STREAM, not '" + spec + "'");
        }
        String kind = spec.substring(0, colon);
        String name = spec.substring(colon + 1);
        return switch (kind) {
            case "file" -> new FileSinkSource(Path.of(name));
            case "dynamodb" -> new DynamoDbSource(aws.build(DynamoDbClient.builder()), name,
                    expectation.devices() > 0 ? expectation.deviceIds() : List.of());
            case "kinesis" -> {
                if (aws.endpoint() != null && System.getProperty("aws.cborEnabled") == null) {
                    // Local stand-ins (kinesalite) mishandle CBOR; JSON works with the service too.
                    System.setProperty("aws.cborEnabled", "false");
                }
                yield new KinesisSource(aws.build(KinesisClient.builder()), name);
            }
            default -> throw new IllegalArgumentException("--source kind '" + kind + "' is not one of file, dynamodb, kinesis");
        };
    }
}
