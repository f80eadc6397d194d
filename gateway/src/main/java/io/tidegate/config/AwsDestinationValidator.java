package io.tidegate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** The {@code aws}, {@code kinesis} and {@code dynamodb} sections of a destination. */
final class AwsDestinationValidator {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+|local");
    private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final Pattern TABLE = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    /** Kinesis partition keys are 1 to 256 Unicode characters. */
    private static final int MAX_PARTITION_KEY_CHARS = 256;

    private AwsDestinationValidator() {
    }

    static void check(ConfigPath path, DestinationConfig destination, ProblemCollector problems) {
        ConfigPath aws = path.child("aws");
        if (problems.present(aws, destination.aws(), "a mapping with region, and optionally endpoint and credentials")) {
            checkAws(aws, destination.aws(), problems);
        }
        if (destination.type() == DestinationConfig.DestinationType.KINESIS) {
            ConfigPath kinesis = path.child("kinesis");
            if (problems.present(kinesis, destination.kinesis(), "a mapping with stream and partitionKey")) {
                checkName(kinesis.child("stream"), destination.kinesis().stream(), STREAM,
                        "a stream name of 1 to 128 letters, digits, '_', '.' or '-'", problems);
                checkKey(kinesis.child("partitionKey"), destination.kinesis().partitionKey(), problems);
                problems.range(kinesis.child("aggregationTargetBytes"), destination.kinesis().aggregationTargetBytes(),
                        1024, 1_000_000);
                problems.range(kinesis.child("aggregationBuckets"), destination.kinesis().aggregationBuckets(), 0, 500);
            }
        } else {
            ConfigPath dynamodb = path.child("dynamodb");
            if (problems.present(dynamodb, destination.dynamodb(), "a mapping with table and the key attributes")) {
                checkDynamoDb(dynamodb, destination.dynamodb(), problems);
            }
        }
    }

    private static void checkAws(ConfigPath path, AwsConfig aws, ProblemCollector problems) {
        checkName(path.child("region"), aws.region(), REGION, "an AWS region such as eu-west-1", problems);
        if (aws.endpoint() != null) {
            String expected = "an http:// or https:// URL such as http://127.0.0.1:4567";
            try {
                URI uri = new URI(aws.endpoint());
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    problems.notAllowed(path.child("endpoint"), aws.endpoint(), expected);
                }
            } catch (URISyntaxException e) {
                problems.notAllowed(path.child("endpoint"), aws.endpoint(), expected);
            }
        }
        if (aws.credentials() == AwsConfig.Credentials.STATIC) {
            String expected = "a value, because credentials is static";
            notBlank(path.child("accessKeyId"), aws.accessKeyId(), expected, problems);
            notBlank(path.child("secretAccessKey"), aws.secretAccessKey(), expected, problems);
        } else if (aws.accessKeyId() != null || aws.secretAccessKey() != null) {
            problems.add(path.child("credentials"), "\"default\" ignores accessKeyId and secretAccessKey;"
                    + " expected static when keys are given");
        }
    }

    private static void checkDynamoDb(ConfigPath path, DynamoDbConfig dynamodb, ProblemCollector problems) {
        checkName(path.child("table"), dynamodb.table(), TABLE,
                "a table name of 3 to 255 letters, digits, '_', '.' or '-'", problems);
        checkKey(path.child("partitionKey"), dynamodb.partitionKey(), problems);
        String attribute = "an attribute name of 1 to 255 characters";
        notBlank(path.child("partitionKeyAttribute"), dynamodb.partitionKeyAttribute(), attribute, problems);
        notBlank(path.child("sortKeyAttribute"), dynamodb.sortKeyAttribute(), attribute, problems);
        notBlank(path.child("ttlAttribute"), dynamodb.ttlAttribute(), attribute, problems);
        if (dynamodb.partitionKeyAttribute().equals(dynamodb.sortKeyAttribute())) {
            problems.add(path.child("sortKeyAttribute"), ConfigValues.render(dynamodb.sortKeyAttribute())
                    + " is not allowed; expected a name other than partitionKeyAttribute's");
        }
        problems.range(path.child("ttlSeconds"), dynamodb.ttlSeconds(), 0, 3_153_600_000L);
    }

    private static void checkKey(ConfigPath path, String key, ProblemCollector problems) {
        String expected = "clientid, topic, or a literal key of 1 to " + MAX_PARTITION_KEY_CHARS
                + " characters (templates go in a rule action's partitionKey setting)";
        if (problems.present(path, key, expected)
                && (key.isEmpty() || key.codePointCount(0, key.length()) > MAX_PARTITION_KEY_CHARS || key.contains("${"))) {
            problems.notAllowed(path, key, expected);
        }
    }

    private static void checkName(ConfigPath path, String value, Pattern pattern, String expected,
                                  ProblemCollector problems) {
        if (problems.present(path, value, expected) && !pattern.matcher(value).matches()) {
            problems.notAllowed(path, value, expected);
        }
    }

    private static void notBlank(ConfigPath path, String value, String expected, ProblemCollector problems) {
        if (problems.present(path, value, expected) && (value.isBlank() || value.length() > 255)) {
            problems.notAllowed(path, value, expected);
        }
    }
}
