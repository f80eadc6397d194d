package io.tidegate.config;

/**
 * How an AWS destination reaches its service.
 *
 * @param region          AWS region, e.g. {@code eu-west-1}
 * @param endpoint        endpoint override (a local stand-in or a VPC endpoint), or null for the region's
 * @param credentials     {@code default}: the SDK's default provider chain; {@code static}: the keys below
 * @param accessKeyId     {@code static} credentials only
 * @param secretAccessKey {@code static} credentials only
 */
public record AwsConfig(String region, String endpoint, Credentials credentials, String accessKeyId,
                        String secretAccessKey) {

    public AwsConfig {
        credentials = credentials == null ? Credentials.DEFAULT : credentials;
    }

    public enum Credentials { DEFAULT, STATIC }
}
