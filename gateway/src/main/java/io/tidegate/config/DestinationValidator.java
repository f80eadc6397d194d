package io.tidegate.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Destinations are well-formed and routing points at an enabled one. */
final class DestinationValidator {

    /** Names become directory names under the data dir, so keep them portable and short. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private DestinationValidator() {
    }

    static void checkDestinations(ConfigPath path, Map<String, DestinationConfig> destinations, ProblemCollector problems) {
        new TreeMap<>(destinations).forEach((name, destination) -> check(path.child(name), name, destination, problems));
    }

    static void checkRouting(ConfigPath path, RoutingConfig routing, Map<String, DestinationConfig> destinations,
                             ProblemCollector problems) {
        ConfigPath target = path.child("defaultDestination");
        String expected = destinations.isEmpty()
                ? "the name of a destination, but no destinations are configured"
                : "the name of an enabled destination (" + String.join(", ", new TreeMap<>(destinations).keySet()) + ")";
        String name = routing.defaultDestination();
        if (!problems.present(target, name, expected)) {
            return;
        }
        DestinationConfig destination = destinations.get(name);
        if (destination == null) {
            problems.notAllowed(target, name, expected);
        } else if (!destination.enabled()) {
            problems.add(target, ConfigValues.render(name) + " is not allowed; expected an enabled destination, but destinations."
                    + name + ".enabled is false");
        }
    }

    private static void check(ConfigPath path, String name, DestinationConfig destination, ProblemCollector problems) {
        if (!NAME.matcher(name).matches()) {
            problems.add(path, ConfigValues.render(name) + " is not allowed as a destination name; expected 1 to 63 lower-case"
                    + " letters, digits, '_' or '-', starting with a letter or digit (it becomes a directory name)");
        }
        problems.present(path.child("type"), destination.type(),
                "one of " + ConfigEnums.allowed(DestinationConfig.DestinationType.class));
        problems.atLeast(path.child("maxFileBytes"), destination.maxFileBytes(), 1024);
        problems.atLeast(path.child("rollIntervalSeconds"), destination.rollIntervalSeconds(), 1);
        ConfigPath batch = path.child("batch");
        problems.range(batch.child("maxRecords"), destination.batch().maxRecords(), 1, 100_000);
        problems.range(batch.child("maxBytes"), destination.batch().maxBytes(), 1024, 268_435_456);
        problems.range(batch.child("lingerMs"), destination.batch().lingerMs(), 0, 60_000);
        problems.range(batch.child("maxInFlight"), destination.batch().maxInFlight(), 1, 64);
        ConfigPath outbox = path.child("outbox");
        problems.range(outbox.child("maxBytes"), destination.outbox().maxBytes(), 0, Long.MAX_VALUE);
        problems.range(outbox.child("maxAgeSeconds"), destination.outbox().maxAgeSeconds(), 0, 3_153_600_000L);
        long maxBytes = destination.outbox().maxBytes();
        if (maxBytes > 0 && maxBytes < 1024 * 1024) {
            problems.notAllowed(outbox.child("maxBytes"), maxBytes, "0 (no limit) or at least 1048576 (1 MiB)");
        }
        if (destination.type() == DestinationConfig.DestinationType.KINESIS
                || destination.type() == DestinationConfig.DestinationType.DYNAMODB) {
            AwsDestinationValidator.check(path, destination, problems);
        } else if (destination.type() == DestinationConfig.DestinationType.IOTCORE) {
            ConfigPath iotcore = path.child("iotcore");
            if (problems.present(iotcore, destination.iotcore(),
                    "a mapping with endpoint, certificate, privateKey and clientIdPrefix")) {
                IotCoreValidator.check(iotcore, destination.iotcore(), problems);
            }
        }
    }
}
