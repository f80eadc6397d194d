package io.tidegate.forward.aws;

import io.tidegate.config.AwsConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;

/**
 * Applies a destination's {@code aws} settings to an SDK client builder: region, endpoint
 * override, credentials. The SDK's own retries are off: the forwarder retries exactly what failed,
 * with its own backoff, and meters it; SDK retries would hide throttles and resend accepted records.
 */
public final class AwsClientSettings {

    /** Bounds one call, so a hung connection shows up as a retriable error instead of a stall. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private AwsClientSettings() {
    }

    public static <B extends AwsClientBuilder<B, C>, C> B apply(B builder, AwsConfig aws) {
        builder.region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(CALL_TIMEOUT)
                        .build());
        if (aws.endpoint() != null) {
            builder.endpointOverride(URI.create(aws.endpoint()));
        }
        return builder;
    }

    /** {@link #apply} for an asynchronous client, on the gateway's shared HTTP client. */
    public static <B extends AwsClientBuilder<B, C> & AwsAsyncClientBuilder<B, C>, C> B applyAsync(
            B builder, AwsConfig aws, AwsHttp http) {
        apply(builder, aws);
        builder.httpClient(http.client());
        return builder;
    }

    private static AwsCredentialsProvider credentials(AwsConfig aws) {
        return switch (aws.credentials()) {
            case DEFAULT -> DefaultCredentialsProvider.builder().build();
            case STATIC -> StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        };
    }
}
