package io.tidegate.config;

import java.util.List;

/** The {@code iotcore} section of a destination, checked against IoT Core's own limits. */
final class IotCoreValidator {

    private IotCoreValidator() {
    }

    static void check(ConfigPath path, IotCoreConfig iot, ProblemCollector problems) {
        String host = "the account's IoT device data endpoint, e.g. abc123-ats.iot.eu-west-1.amazonaws.com";
        if (problems.present(path.child("endpoint"), iot.endpoint(), host)
                && (iot.endpoint().isBlank() || iot.endpoint().contains("://") || iot.endpoint().contains(":"))) {
            problems.notAllowed(path.child("endpoint"), iot.endpoint(), host + " (a host name: no scheme, no port)");
        }
        problems.range(path.child("port"), iot.port(), 1, 65_535);
        problems.present(path.child("certificate"), iot.certificate(), "the gateway's PEM certificate file");
        problems.present(path.child("privateKey"), iot.privateKey(), "its PEM private key file");
        TlsValidator.checkReadable(path.child("certificate"), iot.certificate(), problems);
        TlsValidator.checkReadable(path.child("privateKey"), iot.privateKey(), problems);
        TlsValidator.checkReadable(path.child("caCertificate"), iot.caCertificate(), problems);
        String prefix = "a client id prefix of 1 to 100 letters, digits, '_', '-' or ':'";
        if (problems.present(path.child("clientIdPrefix"), iot.clientIdPrefix(), prefix)
                && !iot.clientIdPrefix().matches("[a-zA-Z0-9_:-]{1,100}")) {
            problems.notAllowed(path.child("clientIdPrefix"), iot.clientIdPrefix(), prefix);
        }
        problems.range(path.child("connections"), iot.connections(), 1, 1000);
        problems.range(path.child("maxPublishesPerSecond"), iot.maxPublishesPerSecond(), 1,
                IotCoreConfig.IOT_CORE_PUBLISHES_PER_SECOND);
        problems.range(path.child("maxBytesPerSecond"), iot.maxBytesPerSecond(), 1024,
                IotCoreConfig.IOT_CORE_BYTES_PER_SECOND);
        problems.range(path.child("maxInFlight"), iot.maxInFlight(), 1, IotCoreConfig.IOT_CORE_IN_FLIGHT);
        problems.range(path.child("keepAliveSeconds"), iot.keepAliveSeconds(), 30, 1200);
        problems.range(path.child("ackTimeoutSeconds"), iot.ackTimeoutSeconds(), 1, 600);
        checkTopic(path.child("topic"), iot.topic(), problems);
        if (iot.basicIngestRule() != null && !IotCoreTopicRules.isRuleName(iot.basicIngestRule())) {
            problems.notAllowed(path.child("basicIngestRule"), iot.basicIngestRule(),
                    "an IoT rule name of 1 to 128 letters, digits or '_'");
        }
        List<String> downstream = iot.downstream();
        for (int i = 0; i < downstream.size(); i++) {
            String filter = downstream.get(i);
            ConfigPath at = path.child("downstream").index(i);
            if (filter == null || filter.contains("${")) {
                problems.notAllowed(at, filter, "an MQTT topic filter such as cmd/+/#");
                continue;
            }
            TopicFilterSyntax.problem(filter).ifPresent(why -> problems.add(at,
                    ConfigValues.render(filter) + " is not allowed; " + why));
        }
    }

    private static void checkTopic(ConfigPath path, String topic, ProblemCollector problems) {
        String expected = "topic (the device's own topic) or a fixed IoT Core topic"
                + " (templates go in a rule action's topic setting)";
        if (!problems.present(path, topic, expected) || KeySource.TOPIC.equals(topic)) {
            return;
        }
        if (topic.contains("${")) {
            problems.notAllowed(path, topic, expected);
            return;
        }
        IotCoreTopicRules.problem(topic).ifPresent(why -> problems.add(path,
                ConfigValues.render(topic) + " is not allowed; " + why));
    }
}
