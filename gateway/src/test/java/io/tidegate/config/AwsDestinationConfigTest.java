package io.tidegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.tidegate.config.ConfigTestSupport.loadYaml;
import static io.tidegate.config.ConfigTestSupport.yamlFailure;
import static org.assertj.core.api.Assertions.assertThat;

class AwsDestinationConfigTest {

    @TempDir
    Path dir;

    @Test
    void aKinesisDestinationBindsWithItsDefaults() {
        TidegateConfig config = loadYaml(dir, """
                destinations:
                  stream:
                    type: kinesis
                    aws: {region: eu-west-1}
                    kinesis: {stream: telemetry}
                """);

        DestinationConfig stream = config.destinations().get("stream");
        assertThat(stream.type()).isEqualTo(DestinationConfig.DestinationType.KINESIS);
        assertThat(stream.aws()).isEqualTo(new AwsConfig("eu-west-1", null, AwsConfig.Credentials.DEFAULT, null, null));
        assertThat(stream.kinesis()).isEqualTo(new KinesisConfig("telemetry", "clientid", false, 51_200));
    }

    @Test
    void aDynamoDbDestinationBindsWithItsDefaults() {
        TidegateConfig config = loadYaml(dir, """
                destinations:
                  table:
                    type: dynamodb
                    aws: {region: us-east-1, endpoint: "http://127.0.0.1:8000", credentials: static,
                          accessKeyId: a, secretAccessKey: b}
                    dynamodb: {table: telemetry, ttlSeconds: 3600}
                """);

        DestinationConfig table = config.destinations().get("table");
        assertThat(table.aws().credentials()).isEqualTo(AwsConfig.Credentials.STATIC);
        assertThat(table.dynamodb()).isEqualTo(new DynamoDbConfig("telemetry", "clientid", "pk", "sk", 3600L, "ttl"));
    }

    @Test
    void secretsCanComeFromTheEnvironment() {
        TidegateConfig config = ConfigLoader.load(java.util.Optional.of(ConfigTestSupport.write(dir, "t.yaml", """
                destinations:
                  table:
                    type: dynamodb
                    aws: {region: us-east-1, credentials: static, accessKeyId: a}
                    dynamodb: {table: telemetry}
                """)), java.util.Map.of("TIDEGATE_DESTINATIONS_TABLE_AWS_SECRETACCESSKEY", "from-env"));

        assertThat(config.destinations().get("table").aws().secretAccessKey()).isEqualTo("from-env");
    }

    @Test
    void problemsNameTheField() {
        assertThat(problems("""
                destinations:
                  stream:
                    type: kinesis
                    aws: {region: Mars, endpoint: "ftp://x", credentials: static}
                    kinesis: {stream: "bad name", partitionKey: "${clientid}", aggregationTargetBytes: 10}
                  table:
                    type: dynamodb
                    aws: {region: us-east-1, accessKeyId: a}
                    dynamodb: {partitionKeyAttribute: k, sortKeyAttribute: k, ttlSeconds: -1}
                """)).containsExactly(
                "destinations.stream.aws.region: \"Mars\" is not allowed; expected an AWS region such as eu-west-1",
                "destinations.stream.aws.endpoint: \"ftp://x\" is not allowed; expected an http:// or https:// URL"
                        + " such as http://127.0.0.1:4567",
                "destinations.stream.aws.accessKeyId: missing; expected a value, because credentials is static",
                "destinations.stream.aws.secretAccessKey: missing; expected a value, because credentials is static",
                "destinations.stream.kinesis.stream: \"bad name\" is not allowed; expected a stream name of 1 to 128"
                        + " letters, digits, '_', '.' or '-'",
                "destinations.stream.kinesis.partitionKey: \"${clientid}\" is not allowed; expected clientid, topic,"
                        + " or a literal key of 1 to 256 characters (templates go in a rule action's partitionKey setting)",
                "destinations.stream.kinesis.aggregationTargetBytes: 10 is not allowed; expected an integer from 1024"
                        + " to 1000000",
                "destinations.table.aws.credentials: \"default\" ignores accessKeyId and secretAccessKey; expected"
                        + " static when keys are given",
                "destinations.table.dynamodb.table: missing; expected a table name of 3 to 255 letters, digits, '_',"
                        + " '.' or '-'",
                "destinations.table.dynamodb.sortKeyAttribute: \"k\" is not allowed; expected a name other than"
                        + " partitionKeyAttribute's",
                "destinations.table.dynamodb.ttlSeconds: -1 is not allowed; expected an integer from 0 to 3153600000");
    }

    @Test
    void anAwsDestinationNeedsItsSections() {
        assertThat(problems("""
                destinations:
                  stream: {type: kinesis}
                """)).containsExactly(
                "destinations.stream.aws: missing; expected a mapping with region, and optionally endpoint and credentials",
                "destinations.stream.kinesis: missing; expected a mapping with stream and partitionKey");
    }

    private List<String> problems(String yaml) {
        return yamlFailure(dir, yaml).problems().stream().map(ConfigProblem::toString).toList();
    }
}
