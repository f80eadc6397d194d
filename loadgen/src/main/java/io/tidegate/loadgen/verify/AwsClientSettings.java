package io.tidegate.loadgen.verify;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;

/**
 * Region, endpoint and credentials for the verify sources' AWS clients. With an endpoint (a local
 * stand-in such as DynamoDB Local or kinesalite) and no credentials in the environment, dummy ones
 * are used, since those services accept any.
 *
 * @param endpoint null for the service's own endpoint
 * @param region   null for the SDK's default region chain (or us-east-1 with an endpoint)
 */
public record AwsClientSettings(URI endpoint, String region) {

    <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.httpClientBuilder(ApacheHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(Region.of(region));
        } else if (endpoint != null) {
            builder.region(Region.US_EAST_1);
        }
        builder.credentialsProvider(credentials());
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        boolean fromEnvironment = System.getenv("AWS_ACCESS_KEY_ID") != null || System.getenv("AWS_PROFILE") != null
                || System.getProperty("aws.accessKeyId") != null;
        if (endpoint != null && !fromEnvironment) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
